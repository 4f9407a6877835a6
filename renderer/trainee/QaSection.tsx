import { useState } from 'react';
import type { FormEvent } from 'react';
import type { QaBoardItem } from '../../shared/protocol';

interface Props {
  items: QaBoardItem[];
  voted: string[];
  /** Questions this phone sent that the server has not confirmed yet. */
  sending: number;
  sent: number;
  onAsk: (text: string, anonymous: boolean) => void;
  onVote: (qaId: string) => void;
  /** A question is on screen: the section is folded under it, one tap away. */
  folded?: boolean;
}

/**
 * Ask the instructor a question, named or anonymously, and upvote others' questions.
 * Anonymous means the server stores no link to this trainee at all.
 */
export function QaSection({ items, voted, sending, sent, onAsk, onVote, folded = false }: Props) {
  const [text, setText] = useState('');
  const [anonymous, setAnonymous] = useState(true);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    onAsk(text.trim(), anonymous);
    setText('');
  };
  const body = (
    <>
      <form className="qa-form" onSubmit={submit}>
        <label htmlFor="qa-text">Your question</label>
        <textarea
          id="qa-text"
          value={text}
          maxLength={280}
          rows={3}
          onChange={(e) => setText(e.target.value)}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={anonymous}
            onChange={(e) => setAnonymous(e.target.checked)}
          />{' '}
          Ask anonymously
        </label>
        <button className="big primary" type="submit" disabled={!text.trim()}>
          Send question
        </button>
        <p className="qa-status" role="status" aria-live="polite">
          {sending > 0
            ? 'Sending your question…'
            : sent > 0
              ? 'Question received — it appears below once the instructor approves it'
              : ''}
        </p>
      </form>
      {items.length > 0 && (
        <ol className="qa-items">
          {items.map((q) => {
            const mine = voted.includes(q.id);
            return (
              <li key={q.id}>
                <span className="qa-text">
                  {q.text}
                  {q.answered && <span className="muted"> (answered)</span>}
                </span>
                <button
                  className="vote"
                  aria-pressed={mine}
                  disabled={mine}
                  onClick={() => onVote(q.id)}
                  aria-label={`Upvote: ${q.text}`}
                >
                  ▲ {q.votes}
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
  if (folded)
    return (
      <details className="qa qa-folded">
        <summary>
          <h2 id="qa-heading">Ask the instructor a question</h2>
        </summary>
        {body}
      </details>
    );
  return (
    <section className="qa" aria-labelledby="qa-heading">
      <h2 id="qa-heading">Questions for the instructor</h2>
      {body}
    </section>
  );
}
