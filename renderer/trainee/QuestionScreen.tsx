import { useId } from 'react';
import type { ConnState } from './connection';
import type { AnswerValue } from '../../shared/question';
import { ScreenHeading } from './ScreenHeading';
import { AnswerInput } from './AnswerInput';
import { GameCard } from './GameCard';
import { AuthorHtml } from '../ui/AuthorHtml';
import { myAnswer, outcome, rankingOrder } from './answer-view';
import type { Outcome } from './answer-view';

interface Props {
  s: ConnState;
  hidePrompt: boolean;
  setHidePrompt: (hide: boolean) => void;
  onAnswer: (runId: string, value: AnswerValue) => void;
}

/**
 * A live question on the phone: a role-play vote shows its situation first; the answer buttons
 * (each option with the colour, shape and letter the projector gives it); "Answer received" once
 * stored; and at the reveal "Correct" or "Not quite", the right answer and why.
 */
export function QuestionScreen({ s, hidePrompt, setHidePrompt, onAnswer }: Props) {
  const v = s.view!;
  const q = v.question!;
  const promptId = useId();
  const pending = s.pending.some((p) => p.runId === q.runId);
  const mine = myAnswer(s);
  const result = outcome(s);
  const ranking = q.q.type === 'ranking';
  return (
    <div className="question">
      {q.situationHtml && <AuthorHtml className="situation" html={q.situationHtml} />}
      <ScreenHeading
        screen={`q:${q.runId}`}
        className={`prompt ${hidePrompt ? 'visually-hidden' : ''}`}
      >
        <span id={promptId}>{q.q.prompt}</span>
      </ScreenHeading>
      {result && <RevealCard result={result} ranking={ranking} />}
      <AnswerInput
        key={q.runId}
        q={q.q}
        open={q.open}
        mine={mine}
        labelledBy={promptId}
        onAnswer={(value) => onAnswer(q.runId, value)}
        order={ranking ? rankingOrder(s, q.runId, q.q.options ?? []) : undefined}
        correct={result?.correct && !ranking ? result.correct : null}
      />
      {!result?.verdict && (
        <Receipt
          open={q.open}
          pending={pending}
          online={s.online}
          confirmed={!pending && mine !== undefined}
        />
      )}
      {s.notice && (
        <p className="t-error" role="alert">
          {s.notice}
        </p>
      )}
      {v.game && v.reveal && s.game && <GameCard game={s.game} runId={q.runId} />}
      <button type="button" className="toggle-prompt" onClick={() => setHidePrompt(!hidePrompt)}>
        {hidePrompt ? 'Show the question text' : 'Hide the question text'}
      </button>
    </div>
  );
}

/** The reveal, for this phone: right or not, the right answer (a ranking as a numbered list), and why. */
function RevealCard({ result, ranking }: { result: Outcome; ranking: boolean }) {
  const { verdict, correct, explanation } = result;
  if (!verdict && !explanation) return null;
  const headline =
    verdict === 'correct'
      ? 'Correct'
      : verdict === 'not-quite'
        ? 'Not quite'
        : verdict === 'unanswered'
          ? 'No answer given'
          : null;
  return (
    <section className={`reveal ${verdict ?? 'poll'}`} role="status" aria-label="The answer">
      {headline && (
        <p className="verdict">
          <span aria-hidden="true">
            {verdict === 'correct' ? '✓ ' : verdict === 'not-quite' ? '✗ ' : ''}
          </span>
          {headline}
        </p>
      )}
      {correct &&
        (ranking ? (
          <>
            <p className="right-answer-lead">The right order:</p>
            <ol className="right-order">
              {correct.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ol>
          </>
        ) : (
          <p className="right-answer">
            {correct.length > 1 ? 'The right answers: ' : 'The right answer: '}
            <strong>{correct.join(', ')}</strong>
          </p>
        ))}
      {explanation && <p className="explanation">{explanation}</p>}
    </section>
  );
}

/** What happened to this phone's answer; "Answer received" only once the server has stored it. */
function Receipt({
  open,
  pending,
  online,
  confirmed,
}: {
  open: boolean;
  pending: boolean;
  online: boolean;
  confirmed: boolean;
}) {
  let text = '';
  let kind = '';
  if (pending && online) text = 'Sending…';
  else if (pending) {
    text = 'Saved on this phone. It will be sent when you reconnect.';
    kind = 'queued';
  } else if (confirmed) {
    text = 'Answer received';
    kind = 'ok';
  }
  return (
    <div className={`receipt-box ${open ? '' : 'closed'}`}>
      <p className={`receipt ${kind}`} role="status">
        {kind === 'ok' && <span aria-hidden="true">✓ </span>}
        {text}
      </p>
      {!open && <p className="closed-note">This question is closed.</p>}
    </div>
  );
}
