import type { ConsoleView, InstructorCommand, ProjectorTheme } from '../../shared/protocol';
import { TraineeCorrection } from './TraineeCorrection';
import { RosterImport } from './RosterImport';
import { SessionDetails } from './SessionDetails';

type Session = NonNullable<ConsoleView['session']>;

/** Who is in the room: connected or not, answered or not, walk-ins; correct a name, move a phone. */
export function TraineesPanel({
  s,
  roster,
  token,
  command,
}: {
  s: Session;
  roster: ConsoleView['roster'];
  token: string;
  command: (c: InstructorCommand) => void;
}) {
  const connected = s.trainees.filter((t) => t.connected).length;
  return (
    <div className="trainees">
      <h2 className="panel-title">
        Trainees{' '}
        <span className="muted">
          ({connected} connected of {s.trainees.length})
        </span>
      </h2>
      <ul className="trainee-list">
        {s.trainees.map((t) => (
          <li key={t.id} className={t.connected ? 'on' : 'off'}>
            <span className="dot" aria-hidden="true" />
            <span className="name">{t.name}</span> <span className="muted">{t.officerId}</span>
            {t.walkIn && <span className="tag walk-in">walk-in</span>}
            {s.runId && (
              <span className={`answered ${t.answered ? 'yes' : 'no'}`}>
                {t.answered ? 'answered' : 'waiting'}
              </span>
            )}
            <TraineeCorrection
              trainee={t}
              others={s.trainees.filter((o) => o.id !== t.id)}
              command={command}
            />
          </li>
        ))}
      </ul>
      <details className="roster-panel">
        <summary>Roster{roster ? `: ${roster.name}` : ''}</summary>
        <RosterImport token={token} roster={roster} live />
      </details>
    </div>
  );
}

/** How trainees join: the QR code, the address, the room code and the network it is on. */
export function JoinPanel({
  s,
  hosts,
  command,
}: {
  s: Session;
  hosts: string[];
  command: (c: InstructorCommand) => void;
}) {
  return (
    <div className="join">
      {s.join.qr && <img className="qr" src={s.join.qr} alt={`QR code for ${s.join.url}`} />}
      <p className="join-url">{s.join.url}</p>
      <p>
        Room code <strong className="room-code">{s.join.roomCode}</strong>
      </p>
      <label>
        Network{' '}
        <select
          value={s.join.host}
          onChange={(e) => command({ type: 'setJoinHost', host: e.target.value })}
        >
          {hosts.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** The room's settings, the session's details for the record (who taught and where) and its PDFs. */
export function SessionPanel({
  s,
  command,
  download,
}: {
  s: Session;
  command: (c: InstructorCommand) => void;
  download: (file: 'sign-in.pdf' | 'results.pdf') => void;
}) {
  return (
    <div className="session-panel">
      <div className="controls">
        <button onClick={() => download('sign-in.pdf')}>Sign-in sheet PDF</button>
        <button onClick={() => download('results.pdf')}>Results PDF</button>
      </div>
      <label>
        Theme{' '}
        <select
          value={s.theme}
          onChange={(e) => command({ type: 'setTheme', theme: e.target.value as ProjectorTheme })}
        >
          <option value="dark">Dark</option>
          <option value="light">Light</option>
          <option value="contrast">High contrast</option>
        </select>
      </label>
      <label className="check-label">
        <input
          type="checkbox"
          checked={s.profanityFilter}
          onChange={(e) => command({ type: 'profanityFilter', on: e.target.checked })}
        />{' '}
        Filter profanity
      </label>
      <label className="check-label">
        <input
          type="checkbox"
          checked={s.hidePrompt}
          onChange={(e) => command({ type: 'hidePrompt', hide: e.target.checked })}
        />{' '}
        Hide question text on phones
      </label>
      <SessionDetails details={s.details} command={command} />
    </div>
  );
}
