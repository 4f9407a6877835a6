import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { InstructorCommand } from '../../shared/protocol';

interface Props {
  details: { instructors: string; location: string };
  command: (c: InstructorCommand) => void;
}

/**
 * Who taught and where: the certification roster prints both. Instructors are separated by ";",
 * each with their ID in brackets, or found in the department profile's list. Changes are audit-logged.
 */
export function SessionDetails({ details, command }: Props) {
  const [instructors, setInstructors] = useState(details.instructors);
  const [location, setLocation] = useState(details.location);
  useEffect(() => {
    setInstructors(details.instructors);
    setLocation(details.location);
  }, [details.instructors, details.location]);
  const changed =
    instructors.trim() !== details.instructors || location.trim() !== details.location;
  const save = (e: FormEvent) => {
    e.preventDefault();
    command({ type: 'sessionDetails', instructors: instructors.trim(), location: location.trim() });
  };
  return (
    <form className="session-details" onSubmit={save}>
      <label>
        Instructors{' '}
        <input
          value={instructors}
          maxLength={300}
          placeholder="Maria Lopez; Sam Reed (PID 4471)"
          onChange={(e) => setInstructors(e.target.value)}
        />
      </label>
      <label>
        Location{' '}
        <input value={location} maxLength={300} onChange={(e) => setLocation(e.target.value)} />
      </label>
      <button type="submit" disabled={!changed}>
        Save details
      </button>
    </form>
  );
}
