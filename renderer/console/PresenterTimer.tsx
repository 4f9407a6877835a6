import { useEffect, useRef, useState } from 'react';

interface Props {
  /** Milliseconds since the class day (the session) started, as the server said when it sent the view. */
  dayElapsedMs: number;
  /** Milliseconds since this module started, likewise. */
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

/** Counts on locally from what the server said (the server owns time), one tick a second. */
function useRunning(ms: number): number {
  const base = useRef({ ms, at: performance.now() });
  const [now, setNow] = useState(ms);
  useEffect(() => {
    base.current = { ms, at: performance.now() };
    setNow(ms);
  }, [ms]);
  useEffect(() => {
    const t = window.setInterval(
      () => setNow(base.current.ms + performance.now() - base.current.at),
      1000,
    );
    return () => window.clearInterval(t);
  }, []);
  return now;
}

/**
 * Two clocks: the class day's, which runs on across modules, and the module's, against its
 * planned minutes (amber in the last five, red once over).
 */
export function PresenterTimer({ dayElapsedMs, elapsedMs, plannedMinutes }: Props) {
  const day = useRunning(dayElapsedMs);
  const module = useRunning(elapsedMs);
  const left = plannedMinutes === null ? null : plannedMinutes * 60_000 - module;
  return (
    <div className="timer" role="timer" aria-label="Class time">
      <span>
        Day <strong>{clock(day)}</strong>
      </span>
      <span className={left === null ? '' : left < 0 ? 'over' : left < 5 * 60_000 ? 'soon' : ''}>
        Module <strong>{clock(module)}</strong>
        {left !== null && (
          <span className="left">
            {' '}
            · {left < 0 ? `${clock(left)} over` : `${clock(left)} left`}
            <span className="planned"> of {plannedMinutes} min</span>
          </span>
        )}
      </span>
    </div>
  );
}
