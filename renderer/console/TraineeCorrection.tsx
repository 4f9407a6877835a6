import { useState } from 'react';
import type { FormEvent } from 'react';
import { LIMITS } from '../../shared/protocol';
import type { InstructorCommand, TraineeRow } from '../../shared/protocol';

interface Props {
  trainee: TraineeRow;
  /** The other trainees of the class: where this trainee's phone can be moved to. */
  others: TraineeRow[];
  command: (cmd: InstructorCommand) => void;
}

/**
 * "Correct" next to a trainee: an inline form to fix the name, officer ID or agency, or to move the
 * trainee's phone to another trainee. Both need a reason, and both are written to the audit log.
 */
export function TraineeCorrection({ trainee, others, command }: Props) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(trainee.name);
  const [officerId, setOfficerId] = useState(trainee.officerId);
  const [agency, setAgency] = useState(trainee.agency);
  const [reason, setReason] = useState('');
  const [moveTo, setMoveTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const start = () => {
    setName(trainee.name);
    setOfficerId(trainee.officerId);
    setAgency(trainee.agency);
    setReason('');
    setMoveTo('');
    setProblem(null);
    setOpen(true);
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const changes = {
      ...(name.trim() !== trainee.name ? { name: name.trim() } : {}),
      ...(officerId.trim() !== trainee.officerId ? { officerId: officerId.trim() } : {}),
      ...(agency.trim() !== trainee.agency ? { agency: agency.trim() } : {}),
    };
    if (!name.trim() || !officerId.trim() || !agency.trim())
      return setProblem('Name, officer ID and agency cannot be empty.');
    if (!Object.keys(changes).length)
      return setProblem('Change the name, officer ID or agency first.');
    if (!reason.trim())
      return setProblem('Give a reason for the correction: it goes into the audit log.');
    command({ type: 'correctTrainee', traineeId: trainee.id, ...changes, reason: reason.trim() });
    setOpen(false);
  };

  const move = () => {
    if (!moveTo) return setProblem('Choose the trainee the phone belongs to.');
    if (!reason.trim())
      return setProblem('Give a reason for moving the phone: it goes into the audit log.');
    command({
      type: 'moveDevice',
      fromTraineeId: trainee.id,
      toTraineeId: moveTo,
      reason: reason.trim(),
    });
    setOpen(false);
  };

  if (!open)
    return (
      <button
        className="small correct-trainee"
        aria-label={`Correct ${trainee.name}`}
        onClick={start}
      >
        Correct
      </button>
    );

  return (
    <form
      className="trainee-correction"
      onSubmit={save}
      aria-label={`Correct ${trainee.name}`}
      noValidate
    >
      <label>
        Name{' '}
        <input
          type="text"
          value={name}
          required
          maxLength={LIMITS.nameMax}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label>
        Officer ID{' '}
        <input
          type="text"
          value={officerId}
          required
          maxLength={LIMITS.officerIdMax}
          onChange={(e) => setOfficerId(e.target.value)}
        />
      </label>
      <label>
        Agency{' '}
        <input
          type="text"
          value={agency}
          required
          maxLength={LIMITS.agencyMax}
          onChange={(e) => setAgency(e.target.value)}
        />
      </label>
      <label>
        Reason{' '}
        <textarea
          value={reason}
          required
          maxLength={LIMITS.reasonMax}
          rows={2}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <div className="controls">
        <button type="submit" className="primary">
          Save correction
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {others.length > 0 && (
        <div className="controls">
          <label>
            Move this phone to{' '}
            <select value={moveTo} onChange={(e) => setMoveTo(e.target.value)}>
              <option value="">— choose a trainee —</option>
              {others.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.officerId})
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={move}>
            Move phone
          </button>
        </div>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
