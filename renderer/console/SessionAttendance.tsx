import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { CORRECTION_LIMITS } from '../../shared/records';
import type { AttendanceCorrection, AttendanceRow, SessionListItem } from '../../shared/records';

const pad = (n: number) => String(n).padStart(2, '0');
/** An instant as a datetime-local value (this computer's time, to the minute). */
const localInput = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
/** A time in the table: HH:MM local, with the date when it is not the session's day. */
function shown(iso: string | null, sessionDay: string): string {
  if (iso === null) return '—';
  const [d, t] = localInput(Date.parse(iso)).split('T');
  return d === sessionDay ? t : `${d} ${t}`;
}

/** Sends JSON with the console token; the server's message on failure. */
async function send<T>(url: string, token: string, method: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json', 'X-Muster-Token': token }, body: JSON.stringify(body) });
  const reply = (await res.json().catch(() => null)) as (T & { message?: string }) | null;
  if (!res.ok || !reply) throw new Error(reply?.message ?? `HTTP ${res.status}`);
  return reply;
}

/**
 * One session's attendance (corrections applied) with a "Correct" action per trainee: a corrected
 * check-in and/or check-out with a reason, stored as a new correction row and in the audit log.
 */
export function SessionAttendance({ session, token, onClose }: { session: SessionListItem; token: string; onClose: () => void }) {
  const [rows, setRows] = useState<AttendanceRow[] | null>(null);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const sessionDay = localInput(session.startedAt).slice(0, 10);

  const load = useCallback(() => {
    fetch(`/api/sessions/${encodeURIComponent(session.id)}/attendance`, { headers: { 'X-Muster-Token': token } })
      .then(async (res) => {
        const body = (await res.json().catch(() => null)) as AttendanceRow[] | { message?: string } | null;
        if (!res.ok || !Array.isArray(body)) throw new Error((body && !Array.isArray(body) && body.message) || `HTTP ${res.status}`);
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
        <p className="muted">Nobody joined this session.</p>
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
              const row = (
                <tr key={r.traineeId}>
                  <td>{r.name}</td>
                  <td className="id">{r.officerId}</td>
                  <td>{r.agency}</td>
                  <td className="nowrap">{shown(r.checkIn, sessionDay)}</td>
                  <td className="nowrap">{shown(r.checkOut, sessionDay)}</td>
                  <td className="num">{r.minutesPresent}</td>
                  <td>{r.corrected ? <span title={r.reason ?? ''}>Yes — {r.reason}</span> : <span className="muted">No</span>}</td>
                  <td className="actions">
                    <button aria-label={`Correct attendance of ${r.name}`} aria-expanded={editing === r.traineeId} onClick={() => setEditing(editing === r.traineeId ? null : r.traineeId)}>
                      Correct
                    </button>
                  </td>
                </tr>
              );
              if (editing !== r.traineeId) return [row];
              return [
                row,
                <tr key={`${r.traineeId}-form`} className="correction-row">
                  <td colSpan={8}>
                    <CorrectionForm
                      row={r}
                      session={session}
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

function CorrectionForm({ row, session, token, onCancel, onSaved }: { row: AttendanceRow; session: SessionListItem; token: string; onCancel: () => void; onSaved: () => void }) {
  const initialIn = row.checkIn ? localInput(Date.parse(row.checkIn)) : '';
  const initialOut = row.checkOut ? localInput(Date.parse(row.checkOut)) : '';
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
  const min = localInput(session.startedAt);
  const max = localInput(session.endedAt ?? Date.now());

  const save = (e: FormEvent) => {
    e.preventDefault();
    // Only the times that were changed are sent: the other keeps what is on record.
    const body: AttendanceCorrection = { traineeId: row.traineeId, reason: reason.trim() };
    if (checkIn && checkIn !== initialIn) body.checkIn = new Date(checkIn).toISOString();
    if (checkOut && checkOut !== initialOut) body.checkOut = new Date(checkOut).toISOString();
    if (body.checkIn === undefined && body.checkOut === undefined) return setProblem('Change the check-in or check-out time first.');
    if (!body.reason) return setProblem('Give a reason for the correction: it goes into the audit log.');
    setBusy(true);
    setProblem('');
    send(`/api/sessions/${encodeURIComponent(session.id)}/attendance-corrections`, token, 'POST', body).then(onSaved, (err: Error) => {
      setBusy(false);
      setProblem(err.message);
    });
  };

  return (
    <form className="attendance-correction" onSubmit={save} aria-label={`Correct attendance of ${row.name}`} noValidate>
      <label>
        Check-in <input type="datetime-local" value={checkIn} min={min} max={max} onChange={edit(setCheckIn)} />
      </label>
      <label>
        Check-out <input type="datetime-local" value={checkOut} min={min} max={max} onChange={edit(setCheckOut)} />
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
