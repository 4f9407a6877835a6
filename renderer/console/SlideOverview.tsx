import { useEffect, useRef } from 'react';
import type { OutlineItem } from '../../shared/protocol';

interface Props {
  outline: OutlineItem[];
  current: number;
  disabled: boolean;
  onGo: (index: number) => void;
}

/** Every slide of the deck by title; a click jumps there. The current one stays in view. */
export function SlideOverview({ outline, current, disabled, onGo }: Props) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    // Scroll only the overview's own panel: scrollIntoView would scroll the whole console too.
    const item = list.current?.querySelector<HTMLElement>('[aria-current="true"]');
    const box = list.current?.closest<HTMLElement>('.panel');
    if (item && box) {
      const top = item.offsetTop - box.offsetTop;
      if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - item.offsetHeight)
        box.scrollTop = top - box.clientHeight / 2;
    }
  }, [current]);
  return (
    <nav className="overview" aria-label="Slide overview">
      <ol ref={list}>
        {outline.map((s) => (
          <li key={s.index}>
            <button
              aria-current={s.index === current}
              disabled={disabled}
              onClick={() => onGo(s.index)}
              title={s.title}
            >
              <span className="num">{s.index + 1}</span>
              <span className="title">{s.title}</span>
              {s.question && <span className="badge">Q</span>}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
