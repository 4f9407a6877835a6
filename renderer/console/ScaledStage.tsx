import { useEffect, useRef, useState } from 'react';
import type { ProjectorView, SlideView } from '../../shared/protocol';
import { ProjectorStage } from '../projector/ProjectorStage';

interface Props {
  view: ProjectorView | null;
  offline?: boolean;
  className?: string;
  label: string;
}

/**
 * The projector's stage drawn small, exactly as the projector draws it (the same component, the
 * same 1920×1080 layout, scaled): what the console shows of the current slide, the next one and
 * the projector itself can never disagree with what the room sees. Not interactive, so hidden
 * from screen readers as a picture with a label.
 */
export function ScaledStage({ view, offline, className = '', label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(0);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const fit = () => setScale(Math.min(el.clientWidth / 1920, el.clientHeight / 1080));
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return (
    <div ref={box} className={`scaled-stage ${className}`} role="img" aria-label={label}>
      {scale > 0 && (
        <div
          className="scaled-stage-inner"
          style={{ transform: `scale(${scale})` }}
          aria-hidden="true"
        >
          <ProjectorStage view={view} offline={offline} />
        </div>
      )}
    </div>
  );
}

/** A slide as the projector would show it, for the console's previews (current and next). */
export function previewOf(
  slide: SlideView,
  theme: ProjectorView['theme'],
  scenario: ProjectorView['scenario'] = null,
): ProjectorView {
  return {
    t: 'projector',
    screen: scenario ? 'scenario' : slide.question ? 'question' : 'slide',
    phase: 'presenting',
    title: '',
    slide,
    join: null,
    joined: 0,
    answered: 0,
    results: null,
    remainingMs: null,
    blank: 'none',
    theme,
    scenario,
    qa: null,
    assessment: null,
    leaderboard: null,
  };
}
