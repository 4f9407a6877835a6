import { useEffect, useRef, useState } from 'react';
import type { ProjectorView, SlideView } from '../../shared/protocol';
import { Results } from '../ui/Results';
import { OptionMark } from '../ui/OptionMark';
import { Fit } from './Fit';

type Question = NonNullable<SlideView['question']>;

/** Types whose options are picked, so each carries its colour, shape and letter. */
const CODED = new Set(['single', 'multi', 'truefalse']);

/**
 * A question on the projector: the prompt, how many have answered, and the options (each with
 * its colour, shape and letter, as on the phones) — or, once the instructor shows them, the
 * results. The split of answers is never here while a graded question is open: the server sends
 * it only when the instructor shows it (or for a poll its author made live).
 */
export function QuestionStage({ view, q }: { view: ProjectorView; q: Question }) {
  const remaining = useCountdown(view.remainingMs);
  const results = view.results;
  const open = view.phase === 'question';
  const ran = open || view.phase === 'closed' || view.phase === 'results';
  return (
    <div className={`question-screen${results ? ' with-results' : ''}`}>
      <Fit className="q-prompt-box" fitKey={`${q.id}:${results ? 'r' : 'q'}`} min={0.5}>
        <h1 className="q-prompt">{q.prompt}</h1>
      </Fit>
      <div className="q-meta">
        {ran && (
          <span>
            {view.answered} of {view.joined} answered
          </span>
        )}
        {remaining !== null && <span className="countdown">{Math.ceil(remaining / 1000)} s</span>}
        {view.phase === 'closed' && <span>Closed</span>}
        {open && !results && <span>Answer on your phone</span>}
      </div>
      {results ? (
        <div className="q-results">
          {results.kind === 'bars' || results.kind === 'rank' ? (
            // HTML tables: fitted like text. The canvas and cloud views size themselves to the box.
            <Fit fitKey={`${q.id}:results`} min={0.7}>
              <Results results={results} big />
            </Fit>
          ) : (
            <Results results={results} big />
          )}
        </div>
      ) : (
        <Fit className="q-options-box" fitKey={q.id} min={0.6}>
          <Options q={q} />
        </Fit>
      )}
    </div>
  );
}

function Options({ q }: { q: Question }) {
  const options = q.options ?? [];
  if (q.type === 'numeric')
    return <p className="q-hint">Type a number on your phone{q.unit ? ` (${q.unit})` : ''}.</p>;
  if (q.type === 'text') return <p className="q-hint">Type your answer on your phone.</p>;
  if (q.type === 'rating' && q.scale)
    return (
      <p className="q-hint">
        Rate from {q.scale.min}
        {q.scale.minLabel ? ` (${q.scale.minLabel})` : ''} to {q.scale.max}
        {q.scale.maxLabel ? ` (${q.scale.maxLabel})` : ''} on your phone.
      </p>
    );
  if (q.type === 'ranking')
    return (
      <>
        <p className="q-hint">Put them in order on your phone:</p>
        <ul className="q-options q-ranking">
          {options.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      </>
    );
  return (
    <ol className={`q-options${options.length > 4 ? ' two-columns' : ''}`}>
      {options.map((o, i) => (
        <li key={o}>
          {CODED.has(q.type) && <OptionMark index={i} />}
          <span className="q-option-text">{o}</span>
        </li>
      ))}
    </ol>
  );
}

/** Counts down locally from the server's remaining milliseconds (the server owns the deadline). */
function useCountdown(remainingMs: number | null): number | null {
  const [left, setLeft] = useState(remainingMs);
  const since = useRef(0);
  useEffect(() => {
    setLeft(remainingMs);
    if (remainingMs === null) return;
    since.current = performance.now();
    const t = window.setInterval(
      () => setLeft(Math.max(0, remainingMs - (performance.now() - since.current))),
      250,
    );
    return () => window.clearInterval(t);
  }, [remainingMs]);
  return left;
}
