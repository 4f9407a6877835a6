import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { CORRECTION_LIMITS } from '../../shared/records';
import type { AttendanceCorrection, AttendanceRow, SessionListItem } from '../../shared/records';
import { clockFor, parseWallTime } from '../../shared/clock';
import type { Clock } from '../../shared/clock';

/** An instant as a datetime-local value, in the department's time zone, to the minute. */
const localInput = (clock: Clock, ms: number) => clock.dateTime(ms).replace(' ', 'T');
/** A datetime-local value read in the department's time zone (not the browser's). */
const fromInput = (clock: Clock, v: string) => {
  const w = parseWallTime(v);
  return w ? new Date(clock.instant(w)).toISOString() : undefined;
};
/** A time in the table: HH:MM local, with the date when it is not the session's day. */
function shown(clock: Clock, iso: string | null, sessionDay: string): string {
  if (iso === null) return '—';
  const ms = Date.parse(iso);
  return clock.date(ms) === sessionDay ? clock.time(ms) : clock.dateTime(ms);
}
/** A row's key: the trainee, or the roster line of someone who never joined. */
const rowKey = (r: AttendanceRow) => r.traineeId ?? `roster-${r.rosterEntryId}`;

/** Sends JSON with the console token; the server's message on failure. */
async function send<T>(url: string, token: string, method: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Muster-Token': token },
    body: JSON.stringify(body),
  });
  const reply = (await res.json().catch(() => null)) as (T & { message?: string }) | null;
  if (!res.ok || !reply) throw new Error(reply?.message ?? `HTTP ${res.status}`);
  return reply;
}

/**
 * One session's attendance (corrections applied) with a "Correct" action per trainee: a corrected
 * check-in and/or check-out with a reason, stored as a new correction row and in the audit log.
 * Rostered officers who never joined are listed as absent; once the session has ended, "Mark
 * present" records them from the paper sheet the same way. Times are the department's local time.
 */
export function SessionAttendance({
  session,
  token,
  timeZone,
  onClose,
}: {
  session: SessionListItem;
  token: string;
  timeZone: string;
  onClose: () => void;
}) {
  const [rows, setRows] = useState<AttendanceRow[] | null>(null);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const clock = clockFor(timeZone);
  const sessionDay = clock.date(session.startedAt);

  const load = useCallback(() => {
    fetch(`/api/sessions/${encodeURIComponent(session.id)}/attendance`, {
      headers: { 'X-Muster-Token': token },
    })
      .then(async (res) => {
        const body = (await res.json().catch(() => null)) as
          AttendanceRow[] | { message?: string } | null;
        if (!res.ok || !Array.isArray(body))
          throw new Error((body && !Array.isArray(body) && body.message) || `HTTP ${res.status}`);
        setRows(body);
      })
      .catch((e: Error) => setError(e.message));
  }, [session.id, token]);
  useEffect(load, [load]);

  return (
    <section className="session-attendance" aria-labelledby="attendance-h">
      <div className="panel-head">
        <h3 id="attendance-h">
          Attendance — {sessionDay} {session.title}
        </h3>
        <button onClick={onClose}>Close</button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="muted" role="status">
        {saved}
      </p>
      {rows === null ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted">Nobody joined this session, and it had no roster.</p>
      ) : (
        <table className="records-table attendance-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Officer ID</th>
              <th scope="col">Agency</th>
              <th scope="col">Check-in</th>
              <th scope="col">Check-out</th>
              <th scope="col" className="num">
                Minutes
              </th>
              <th scope="col">Corrected</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.flatMap((r) => {
              const key = rowKey(r);
              // While the class runs, an absent officer can still join on a phone.
              const canMark = r.traineeId !== null || session.endedAt !== null;
              const row = (
                <tr key={key} className={r.absent ? 'absent' : undefined}>
                  <td>{r.name}</td>
                  <td className="id">{r.officerId}</td>
                  <td>{r.agency}</td>
                  <td className="nowrap">
                    {r.absent ? (
                      <strong className="absent-tag">Absent</strong>
                    ) : (
                      shown(clock, r.checkIn, sessionDay)
                    )}
                  </td>
                  <td className="nowrap">{shown(clock, r.checkOut, sessionDay)}</td>
                  <td className="num">{r.minutesPresent}</td>
                  <td>
                    {r.corrected ? (
                      <span title={r.reason ?? ''}>Yes — {r.reason}</span>
                    ) : (
                      <span className="muted">
                        {r.traineeId === null ? 'On the roster, never joined' : 'No'}
                      </span>
                    )}
                  </td>
                  <td className="actions">
                    {canMark ? (
                      <button
                        aria-label={`${r.traineeId === null ? 'Mark present' : 'Correct attendance of'} ${r.name}`}
                        aria-expanded={editing === key}
                        onClick={() => setEditing(editing === key ? null : key)}
                      >
                        {r.traineeId === null ? 'Mark present' : 'Correct'}
                      </button>
                    ) : (
                      <span className="muted">can still join</span>
                    )}
                  </td>
                </tr>
              );
              if (editing !== key) return [row];
              return [
                row,
                <tr key={`${key}-form`} className="correction-row">
                  <td colSpan={8}>
                    <CorrectionForm
                      row={r}
                      session={session}
                      clock={clock}
                      token={token}
                      onCancel={() => setEditing(null)}
                      onSaved={() => {
                        setEditing(null);
                        setSaved(`Correction saved for ${r.name}; it is in the audit log.`);
                        load();
                      }}
                    />
                  </td>
                </tr>,
              ];
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface FormProps {
  row: AttendanceRow;
  session: SessionListItem;
  clock: Clock;
  token: string;
  onCancel: () => void;
  onSaved: () => void;
}

function CorrectionForm({ row, session, clock, token, onCancel, onSaved }: FormProps) {
  const initialIn = row.checkIn ? localInput(clock, Date.parse(row.checkIn)) : '';
  const initialOut = row.checkOut ? localInput(clock, Date.parse(row.checkOut)) : '';
  const [checkIn, setCheckIn] = useState(initialIn);
  const [checkOut, setCheckOut] = useState(initialOut);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  // A message about the values as they were: gone once they change.
  const edit = (set: (v: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    setProblem('');
  };
  // The session's bounds, to the minute: the server checks them again.
  const min = localInput(clock, session.startedAt);
  const max = localInput(clock, session.endedAt ?? Date.now());

  const save = (e: FormEvent) => {
    e.preventDefault();
    // Only the times that were changed are sent: the other keeps what is on record.
    const body: AttendanceCorrection =
      row.traineeId === null
        ? { rosterEntryId: row.rosterEntryId ?? 0, reason: reason.trim() }
        : { traineeId: row.traineeId, reason: reason.trim() };
    if (checkIn && checkIn !== initialIn) body.checkIn = fromInput(clock, checkIn);
    if (checkOut && checkOut !== initialOut) body.checkOut = fromInput(clock, checkOut);
    if (row.traineeId === null && body.checkIn === undefined)
      return setProblem('Give the time they checked in (from the paper sign-in sheet).');
    if (body.checkIn === undefined && body.checkOut === undefined)
      return setProblem('Change the check-in or check-out time first.');
    if (!body.reason)
      return setProblem('Give a reason for the correction: it goes into the audit log.');
    setBusy(true);
    setProblem('');
    send(
      `/api/sessions/${encodeURIComponent(session.id)}/attendance-corrections`,
      token,
      'POST',
      body,
    ).then(onSaved, (err: Error) => {
      setBusy(false);
      setProblem(err.message);
    });
  };

  return (
    <form
      className="attendance-correction"
      onSubmit={save}
      aria-label={
        row.traineeId === null ? `Mark ${row.name} present` : `Correct attendance of ${row.name}`
      }
      noValidate
    >
      <label>
        Check-in{' '}
        <input
          type="datetime-local"
          value={checkIn}
          min={min}
          max={max}
          onChange={edit(setCheckIn)}
        />
      </label>
      <label>
        Check-out{' '}
        <input
          type="datetime-local"
          value={checkOut}
          min={min}
          max={max}
          onChange={edit(setCheckOut)}
        />
      </label>
      <label className="reason">
        Reason{' '}
        <textarea
          value={reason}
          required
          maxLength={CORRECTION_LIMITS.reasonMax}
          rows={2}
          placeholder="e.g. phone battery died; signed the paper sign-in sheet at 09:05"
          onChange={edit(setReason)}
        />
      </label>
      <div className="controls">
        <button type="submit" className="primary" disabled={busy}>
          Save correction
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
