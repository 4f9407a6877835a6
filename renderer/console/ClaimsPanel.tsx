import { useState } from 'react';
import type { ConsoleClaim, InstructorCommand } from '../../shared/protocol';

interface Props {
  claims: ConsoleClaim[];
  command: (c: InstructorCommand) => void;
}

/**
 * Phones asking to join under an officer ID that is already in the class. The instructor checks
 * who it is and decides: allowed, the new phone takes over (the old one is signed out), with a
 * reason for the audit log; refused, the new phone is told.
 */
export function ClaimsPanel({ claims, command }: Props) {
  if (!claims.length) return null;
  return (
    <section className="claims" aria-label="Identity checks" role="alert">
      <h2>
        {claims.length === 1
          ? 'A phone asks to join as someone already here'
          : `${claims.length} phones ask to join as someone already here`}
      </h2>
      <ul>
        {claims.map((c) => (
          <ClaimRow key={c.id} claim={c} command={command} />
        ))}
      </ul>
    </section>
  );
}

function ClaimRow({ claim: c, command }: { claim: ConsoleClaim; command: Props['command'] }) {
  const [reason, setReason] = useState('');
  const sameName = c.claimed.name.trim().toLowerCase() === c.trainee.name.trim().toLowerCase();
  return (
    <li className="claim">
      <p>
        A new phone typed <strong>{c.claimed.name}</strong> ({c.claimed.agency}), officer ID{' '}
        <strong>{c.claimed.officerId}</strong>. That officer ID is <strong>{c.trainee.name}</strong>
        {sameName ? '' : ' — a different name'}, whose phone is{' '}
        {c.trainee.connected ? 'connected now' : 'not connected'}.
      </p>
      <label>
        Reason (for the audit log){' '}
        <input
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. checked ID card; phone battery died"
        />
      </label>
      <button
        className="primary"
        disabled={!reason.trim()}
        onClick={() => command({ type: 'claim', claimId: c.id, allow: true, reason })}
      >
        Allow: this phone takes over
      </button>
      <button
        onClick={() =>
          command({
            type: 'claim',
            claimId: c.id,
            allow: false,
            reason: reason || 'not confirmed by the instructor',
          })
        }
      >
        Refuse
      </button>
    </li>
  );
}
