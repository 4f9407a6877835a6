import type { InstructorCommand, QaConsoleItem } from '../../shared/protocol';

interface Props {
  items: QaConsoleItem[];
  showing: boolean;
  command: (c: InstructorCommand) => void;
}

const STATUS = {
  pending: 'waiting for approval',
  approved: 'on the board',
  hidden: 'hidden',
  answered: 'answered',
} as const;

/**
 * The instructor's moderation of the Q&A board. Trainees' text is rendered as text (React escapes
 * it); an anonymous question shows no name because the server has none to give.
 */
export function QaPanel({ items, showing, command }: Props) {
  const act = (qaId: string, action: 'approve' | 'hide' | 'answered' | 'pin' | 'unpin') =>
    command({ type: 'qa', qaId, action });
  return (
    <div className="qa-panel">
      <button aria-pressed={showing} onClick={() => command({ type: 'showQa', show: !showing })}>
        {showing ? 'Hide Q&A on projector' : 'Show Q&A on projector'}
      </button>
      {items.length === 0 && (
        <p className="muted">
          No questions yet. Trainees ask from their phones, named or anonymously.
        </p>
      )}
      <ul className="qa-list">
        {items.map((q) => (
          <li key={q.id} className={`qa-${q.status}`}>
            <p className="qa-text">{q.text}</p>
            <p className="muted qa-meta">
              {q.anonymous ? 'Anonymous' : q.name} · {q.votes} vote{q.votes === 1 ? '' : 's'} ·{' '}
              {STATUS[q.status]}
              {q.profane && <span className="tag profane"> · language: masked for the room</span>}
              {q.pinned && ' · pinned'}
            </p>
            <div className="controls">
              {q.status !== 'approved' && q.status !== 'answered' && (
                <button onClick={() => act(q.id, 'approve')}>Approve</button>
              )}
              {q.status !== 'hidden' && <button onClick={() => act(q.id, 'hide')}>Hide</button>}
              {q.status === 'approved' && (
                <button onClick={() => act(q.id, 'answered')}>Mark answered</button>
              )}
              <button onClick={() => act(q.id, q.pinned ? 'unpin' : 'pin')}>
                {q.pinned ? 'Unpin' : 'Pin'}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
