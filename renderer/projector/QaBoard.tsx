import type { QaBoardItem } from '../../shared/protocol';

interface Props {
  prompt: string | null;
  items: QaBoardItem[];
}

/** Approved questions by votes. Trainee text is rendered as text only; no one's name is shown. */
export function QaBoard({ prompt, items }: Props) {
  return (
    <div className="qa-board">
      <h1>{prompt ?? 'Your questions'}</h1>
      {items.length === 0 ? (
        <p className="qa-empty">
          Ask on your phone — named or anonymously. Questions appear here once approved.
        </p>
      ) : (
        <ol>
          {items.map((q) => (
            <li key={q.id} className={q.answered ? 'answered' : undefined}>
              <span className="votes" aria-label={`${q.votes} votes`}>
                {q.votes}
              </span>
              <span className="text">
                {q.pinned && <span className="pin">Pinned · </span>}
                {q.text}
                {q.answered && <span className="done"> · answered</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
