import { useId, useState } from 'react';
import { AnswerInput } from './AnswerInput';
import { ScreenHeading } from './ScreenHeading';
import type { ConnState } from './connection';
import { rankingOrder } from './answer-view';
import type { TraineeAssessment } from '../../shared/protocol';
import type { AnswerValue, PublicQuestion } from '../../shared/question';

interface Props {
  a: TraineeAssessment;
  s: ConnState;
  onAnswer: (runId: string, value: AnswerValue) => void;
  onSubmit: (assessmentId: string) => void;
}

/** An answer as the review list shows it. */
function answerText(q: PublicQuestion, v: AnswerValue): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return v.join(q.type === 'ranking' ? ' › ' : ', ');
  return q.type === 'numeric' && q.unit ? `${v} ${q.unit}` : String(v);
}

/**
 * A self-paced assessment on the phone: one question at a time with progress shown, a review of
 * every answer before handing it in, and "Submitted" only once the server has stored the hand-in.
 * Each answer is sent (and queued offline) as it is given, like a live answer, so nothing is lost
 * if the phone dies half-way.
 */
export function AssessmentScreen({ a, s, onAnswer, onSubmit }: Props) {
  // A phone reloaded half-way through opens at the first question it has not answered.
  const [index, setIndex] = useState(() => {
    const given = new Set([
      ...s.pending.map((p) => p.runId),
      ...Object.keys(s.mine?.assessmentId === a.id ? s.mine.answers : {}),
    ]);
    return Math.max(
      0,
      a.questions.findIndex((q) => !given.has(q.runId)),
    );
  });
  const [reviewing, setReviewing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const promptId = useId();
  const progressId = useId();

  const stored = s.mine?.assessmentId === a.id ? s.mine.answers : {};
  const pending = new Map(s.pending.map((p) => [p.runId, p.value]));
  const answerOf = (runId: string): AnswerValue | undefined => pending.get(runId) ?? stored[runId];
  const answered = a.questions.filter((q) => answerOf(q.runId) !== undefined).length;
  const total = a.questions.length;
  const unanswered = total - answered;
  const graded = a.kind !== 'evaluation';

  if (s.submitted.includes(a.id))
    return (
      <div className="waiting">
        <ScreenHeading screen={`a:${a.id}:done`}>{a.title} submitted</ScreenHeading>
        <p>
          Thank you. Your {answered} {answered === 1 ? 'answer is' : 'answers are'} saved. Watch the
          screen.
        </p>
      </div>
    );
  if (s.submitting?.assessmentId === a.id)
    return (
      <div className="waiting">
        <ScreenHeading screen={`a:${a.id}:sending`}>Handing in…</ScreenHeading>
        <p role="status">
          {s.online
            ? 'Sending your answers to the instructor.'
            : 'Saved on this phone. It will be handed in when you reconnect.'}
        </p>
      </div>
    );
  if (!a.open)
    return (
      <div className="waiting">
        <ScreenHeading screen={`a:${a.id}:closed`}>The {a.title} has closed</ScreenHeading>
        <p>
          Your answers so far are saved ({answered} of {total} answered).
        </p>
        {s.notice && <p className="t-error">{s.notice}</p>}
      </div>
    );

  const progress = (
    <div className="a-progress">
      <p id={progressId}>
        {a.title} · {answered} of {total} answered
      </p>
      <progress value={answered} max={total} aria-labelledby={progressId} />
    </div>
  );

  if (reviewing)
    return (
      <div className="assessment">
        {progress}
        <ScreenHeading screen={`a:${a.id}:review`}>Review your answers</ScreenHeading>
        <p className="a-hint">Tap a question to change its answer.</p>
        <ol className="a-review" role="list">
          {a.questions.map((q, i) => {
            const v = answerOf(q.runId);
            return (
              <li key={q.runId}>
                <button
                  type="button"
                  className="a-review-item"
                  onClick={() => {
                    setIndex(i);
                    setReviewing(false);
                    setConfirming(false);
                  }}
                >
                  <span className="a-review-q">
                    {i + 1}. {q.q.prompt}
                  </span>
                  <span className={`a-review-a ${v === undefined ? 'missing' : ''}`}>
                    {v === undefined ? 'Not answered' : answerText(q.q, v)}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
        {confirming && unanswered > 0 && (
          <p className="t-error" role="alert">
            {unanswered} {unanswered === 1 ? 'question is' : 'questions are'} not answered.{' '}
            {graded ? 'An unanswered question counts as wrong.' : 'It will be left blank.'}
          </p>
        )}
        {s.notice && (
          <p className="t-error" role="alert">
            {s.notice}
          </p>
        )}
        <button
          type="button"
          className="big primary"
          onClick={() => {
            if (unanswered > 0 && !confirming) return setConfirming(true);
            onSubmit(a.id);
          }}
        >
          {confirming && unanswered > 0 ? 'Submit anyway' : `Submit the ${a.title.toLowerCase()}`}
        </button>
      </div>
    );

  const i = Math.min(index, total - 1);
  const q = a.questions[i];
  const mine = answerOf(q.runId);
  const waiting = pending.has(q.runId);
  const last = i === total - 1;
  return (
    <div className="assessment">
      {progress}
      <p className="a-count">
        Question {i + 1} of {total}
      </p>
      {/* Always shown: a self-paced question is on the phone only, never on the projector. */}
      <ScreenHeading screen={`a:${a.id}:${i}`} className="prompt">
        <span id={promptId}>{q.q.prompt}</span>
      </ScreenHeading>
      <AnswerInput
        key={q.runId}
        q={q.q}
        open
        mine={mine}
        labelledBy={promptId}
        onAnswer={(v) => onAnswer(q.runId, v)}
        order={q.q.type === 'ranking' ? rankingOrder(s, q.runId, q.q.options ?? []) : undefined}
      />
      <p
        className={`receipt ${waiting ? (s.online ? '' : 'queued') : mine !== undefined ? 'ok' : ''}`}
        role="status"
      >
        {waiting
          ? s.online
            ? 'Saving…'
            : 'Saved on this phone. It will be sent when you reconnect.'
          : mine !== undefined
            ? '✓ Answer saved'
            : ''}
      </p>
      {s.notice && (
        <p className="t-error" role="alert">
          {s.notice}
        </p>
      )}
      {/* Held at the bottom of the screen, where a thumb reaches: never below the fold. */}
      <div className="a-nav">
        <button type="button" className="big" disabled={i === 0} onClick={() => setIndex(i - 1)}>
          ‹ Previous
        </button>
        {last ? (
          <button type="button" className="big primary" onClick={() => setReviewing(true)}>
            Review answers
          </button>
        ) : (
          <button type="button" className="big primary" onClick={() => setIndex(i + 1)}>
            Next ›
          </button>
        )}
      </div>
      {!last && (
        <button type="button" className="toggle-prompt" onClick={() => setReviewing(true)}>
          Review and submit
        </button>
      )}
    </div>
  );
}
