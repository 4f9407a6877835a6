import { useEffect, useRef, useState } from 'react';

interface Props {
  /** Milliseconds since the session started, as the server said when it sent the view. */
  elapsedMs: number;
  plannedMinutes: number | null;
}

const clock = (ms: number) => {
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
};

/** Elapsed time and time left against the module's planned minutes; counts locally between views. */
export function PresenterTimer({ elapsedMs, plannedMinutes }: Props) {
  const base = useRef({ elapsed: elapsedMs, at: performance.now() });
  const [now, setNow] = useState(elapsedMs);
  useEffect(() => {
    base.current = { elapsed: elapsedMs, at: performance.now() };
    setNow(elapsedMs);
  }, [elapsedMs]);
  useEffect(() => {
    const t = window.setInterval(() => setNow(base.current.elapsed + performance.now() - base.current.at), 1000);
    return () => window.clearInterval(t);
  }, []);
  const left = plannedMinutes === null ? null : plannedMinutes * 60_000 - now;
  return (
    <div className="timer" role="timer" aria-label="Session time">
      <span>
        Elapsed <strong>{clock(now)}</strong>
      </span>
      {left !== null && (
        <span className={left < 0 ? 'over' : left < 5 * 60_000 ? 'soon' : ''}>
          {left < 0 ? 'Over by' : 'Left'} <strong>{clock(left)}</strong> of {plannedMinutes} min
        </span>
      )}
    </div>
  );
}
