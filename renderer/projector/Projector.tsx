import { useEffect, useRef, useState } from 'react';
import type { ProjectorView } from '../../shared/protocol';
import { useInstructorSocket } from '../ui/hooks/useInstructorSocket';
import { SlideView } from '../ui/SlideView';
import { Results } from '../ui/Results';
import { ScenarioStage } from './ScenarioStage';
import { QaBoard } from './QaBoard';
import { AssessmentStage } from './AssessmentStage';
import { Leaderboard } from './Leaderboard';

/**
 * The projector: a 1920×1080 stage scaled to whatever display it is on, so type sizes are chosen
 * once for the back of the room (body text 40 px at 1080p, never below 28 px).
 */
export function Projector() {
  const { view, status } = useInstructorSocket<ProjectorView>('projector');
  const scale = useStageScale();
  return (
    <div className="viewport">
      <div className={`stage theme-${view?.theme ?? 'dark'}`} data-slide={view?.slide?.id ?? ''} style={{ transform: `translate(-50%, -50%) scale(${scale})` }}>
        {status !== 'open' && <div className="offline">Reconnecting to Muster…</div>}
        <Stage view={view} />
        {view && view.blank !== 'none' && <div className={`blank blank-${view.blank}`} data-testid="blank" aria-label={`${view.blank} screen`} />}
      </div>
    </div>
  );
}

function Stage({ view }: { view: ProjectorView | null }) {
  const remaining = useCountdown(view?.remainingMs ?? null);
  if (!view || view.phase === 'idle') return <div className="idle">Muster</div>;
  const join = view.join;
  // A pre-test is often the first thing in class: it takes the stage (the join code stays in the corner).
  if (join && view.phase === 'lobby' && !view.qa && !view.assessment && !view.leaderboard) {
    return (
      <div className="join-screen">
        <div className="join-text">
          <h1>{view.title}</h1>
          <p className="join-lead">Join on your phone: scan the code or open</p>
          <p className="join-url">{join.url.replace(/\?.*$/, '')}</p>
          <p className="join-code">
            Room code <strong>{join.roomCode}</strong>
          </p>
          <p className="joined" aria-live="polite">
            {view.joined} joined
          </p>
        </div>
        {join.qr && <img className="join-qr" src={join.qr} alt="QR code to join" />}
      </div>
    );
  }
  const q = view.slide?.question;
  const results = view.results ? <Results results={view.results} big /> : null;
  return (
    <div className={`slide-screen${join?.show ? ' with-join' : ''}`}>
      {view.leaderboard ? (
        <Leaderboard rows={view.leaderboard} />
      ) : view.assessment && view.phase !== 'ended' ? (
        <AssessmentStage a={view.assessment} />
      ) : view.qa ? (
        <QaBoard prompt={view.qa.prompt} items={view.qa.items} />
      ) : view.scenario ? (
        <ScenarioStage scenario={view.scenario} results={view.results} answered={view.results ? `${view.answered} of ${view.joined} voted` : null} />
      ) : q ? (
        <div className="question-screen">
          <h1 className="q-prompt">{q.prompt}</h1>
          <div className="q-meta">
            <span>
              {view.answered} of {view.joined} answered
            </span>
            {remaining !== null && <span className="countdown">{Math.ceil(remaining / 1000)} s</span>}
            {view.phase === 'closed' && <span>Closed</span>}
          </div>
          {results ?? (
            <ol className="q-options">{q.options?.map((o) => <li key={o}>{o}</li>)}</ol>
          )}
        </div>
      ) : (
        view.slide && <SlideView slide={view.slide} className="projected" />
      )}
      {join?.show && (
        <div className="join-corner" aria-label="Join">
          {join.qr && <img src={join.qr} alt="" />}
          <span>
            Room <strong>{join.roomCode}</strong>
          </span>
        </div>
      )}
      {view.phase === 'ended' && <div className="ended">Session ended — thank you</div>}
    </div>
  );
}

function useStageScale(): number {
  const [scale, setScale] = useState(1);
  useEffect(() => {
    const fit = () => setScale(Math.min(window.innerWidth / 1920, window.innerHeight / 1080));
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, []);
  return scale;
}

/** Counts down locally from the server's remaining milliseconds (the server owns the deadline). */
function useCountdown(remainingMs: number | null): number | null {
  const [left, setLeft] = useState(remainingMs);
  const since = useRef(0);
  useEffect(() => {
    setLeft(remainingMs);
    if (remainingMs === null) return;
    since.current = performance.now();
    const t = window.setInterval(() => setLeft(Math.max(0, remainingMs - (performance.now() - since.current))), 250);
    return () => window.clearInterval(t);
  }, [remainingMs]);
  return left;
}
