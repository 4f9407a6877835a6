import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { SessionListItem, TraineeHistory, TraineeMatch } from '../../shared/records';
import type { ExportProfilesReply } from '../../shared/export-profiles';
import { clockFor, computerTimeZone } from '../../shared/clock';
import { bridge } from '../platform';
import { SessionAttendance } from './SessionAttendance';
import { DepartmentProfile } from './DepartmentProfile';
import { RangeReports } from './RangeReports';
import { ExportProfiles } from './ExportProfiles';
import { RecordsServerSetup } from './RecordsServerSetup';
import { apiUrl, getJson, safe } from './records-client';
import type { Save } from './records-client';
import './records.css';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 10) / 10}%`);

/**
 * Records: past sessions with re-export (workbook and CSV, sign-in sheet and results as PDF) and
 * attendance, trainee search and training history, the certification roster by date range laid out
 * by an export profile, the weak-spot report, the export profiles and the department profile.
 * Dates and times are the department's local time.
 * `office`: the records office page over the academy records server (renderer/office): every
 * room, read-only (attendance is corrected, and the department and export profiles set, on the
 * consoles; the academy's own are the records server's).
 */
export function Records({ token, office }: { token: string; office?: { room: string } }) {
  const [sessions, setSessions] = useState<SessionListItem[] | null>(null);
  const [error, setError] = useState('');
  // The session whose attendance is shown (and can be corrected) under the list.
  const [attendanceOf, setAttendanceOf] = useState<SessionListItem | null>(null);
  // The department's time zone (its profile's, else this computer's) and export profiles.
  const [timeZone, setTimeZone] = useState(computerTimeZone);
  const [profiles, setProfiles] = useState<ExportProfilesReply | null>(null);
  const clock = clockFor(timeZone);
  const onProfile = useCallback((p: { timeZone: string }) => setTimeZone(p.timeZone), []);

  useEffect(() => {
    getJson<SessionListItem[]>(apiUrl('/api/records/sessions', token, { room: office?.room })).then(
      setSessions,
      (e: Error) => setError(e.message),
    );
  }, [token, office?.room]);
  useEffect(() => {
    getJson<ExportProfilesReply>(apiUrl('/api/export-profiles', token)).then(
      setProfiles,
      (e: Error) => setError(e.message),
    );
  }, [token]);
  // The records office has no Department profile panel: the academy's time zone comes from its profile here.
  const isOffice = office !== undefined;
  useEffect(() => {
    if (isOffice)
      getJson<{ profile: { timeZone: string } }>(apiUrl('/api/department', token)).then(
        (r) => onProfile(r.profile),
        (e: Error) => setError(e.message),
      );
  }, [isOffice, token, onProfile]);

  const save = (path: string, name: string, params: Record<string, string> = {}) => {
    void bridge
      .saveFile(apiUrl(path, token, params), name)
      .catch((e: Error) => setError(e.message));
  };

  return (
    <main className="records">
      {error && (
        <p className="error records-error" role="alert">
          {error}
        </p>
      )}
      <div className="records-grid">
        <TraineeSearch token={token} save={save} onError={setError} />
        <RangeReports
          token={token}
          sessions={sessions ?? []}
          profiles={profiles?.profiles ?? []}
          timeZone={timeZone}
          save={save}
          onError={setError}
          room={office?.room}
        />
        <section className="panel records-sessions" aria-labelledby="records-sessions-h">
          <h2 id="records-sessions-h">Past sessions</h2>
          <p className="muted small">
            The workbook and the PDFs are for people to read and print. A CSV is for uploading to a
            portal: opened in a spreadsheet program, officer IDs lose their leading zeros.
          </p>
          {sessions === null ? (
            <p className="muted">Loading…</p>
          ) : sessions.length === 0 ? (
            <p className="muted">No sessions yet. Sessions appear here once a class has started.</p>
          ) : (
            <table className="records-table">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  {office && <th scope="col">Room</th>}
                  <th scope="col">Course</th>
                  <th scope="col">Module</th>
                  <th scope="col" className="num">
                    Trainees
                  </th>
                  <th scope="col">Export</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => {
                  const date = clock.date(s.startedAt);
                  const what = `${date} ${s.title}`;
                  const stem = `muster-${date}-${s.id.slice(0, 8)}`;
                  return (
                    <tr key={s.id}>
                      <td className="nowrap">
                        {date}
                        {s.endedAt === null && <span className="tag"> running</span>}
                      </td>
                      {office && <td className="nowrap">{s.room}</td>}
                      <td>
                        {s.courseTitle}
                        {s.courseNumber && <span className="muted"> ({s.courseNumber})</span>}
                      </td>
                      <td>{s.title}</td>
                      <td className="num">{s.trainees}</td>
                      <td className="actions">
                        <button
                          aria-label={`Workbook — ${what}`}
                          onClick={() => save(`/api/sessions/${s.id}/export.xlsx`, `${stem}.xlsx`)}
                        >
                          Workbook
                        </button>
                        <button
                          aria-label={`Sign-in sheet PDF — ${what}`}
                          onClick={() =>
                            save(`/api/sessions/${s.id}/sign-in.pdf`, `${stem}-sign-in.pdf`)
                          }
                        >
                          Sign-in sheet PDF
                        </button>
                        <button
                          aria-label={`Results PDF — ${what}`}
                          onClick={() =>
                            save(`/api/sessions/${s.id}/results.pdf`, `${stem}-results.pdf`)
                          }
                        >
                          Results PDF
                        </button>
                        <button
                          aria-label={`Scores CSV for upload — ${what}`}
                          title="For a portal upload. To read it, use the workbook: a spreadsheet program drops leading zeros from officer IDs in a CSV."
                          onClick={() =>
                            save(`/api/sessions/${s.id}/Scores.csv`, `${stem}-scores.csv`)
                          }
                        >
                          Scores CSV for upload
                        </button>
                        <button
                          hidden={!!office}
                          aria-label={`Attendance — ${what}`}
                          aria-pressed={attendanceOf?.id === s.id}
                          onClick={() => setAttendanceOf(attendanceOf?.id === s.id ? null : s)}
                        >
                          Attendance
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {attendanceOf && (
            <SessionAttendance
              key={attendanceOf.id}
              session={attendanceOf}
              token={token}
              timeZone={timeZone}
              onClose={() => setAttendanceOf(null)}
            />
          )}
        </section>
        {profiles && !office && (
          <ExportProfiles
            token={token}
            reply={profiles}
            onSaved={(p: ExportProfilesReply) => setProfiles(p)}
          />
        )}
        {!office && <DepartmentProfile token={token} onProfile={onProfile} />}
        {!office && <RecordsServerSetup token={token} />}
      </div>
    </main>
  );
}

function TraineeSearch({
  token,
  save,
  onError,
}: {
  token: string;
  save: Save;
  onError: (m: string) => void;
}) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<TraineeMatch[] | null>(null);
  const [history, setHistory] = useState<TraineeHistory | null>(null);

  // Results as you type (after a short pause); Enter searches at once.
  useEffect(() => {
    if (!q.trim()) return setResults(null);
    let stale = false;
    const timer = setTimeout(() => {
      getJson<{ results: TraineeMatch[] }>(apiUrl('/api/trainees', token, { q: q.trim() })).then(
        (r) => !stale && setResults(r.results),
        (e: Error) => onError(e.message),
      );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [q, token, onError]);

  const open = (officerId: string) => {
    getJson<TraineeHistory>(
      apiUrl(`/api/trainees/${encodeURIComponent(officerId)}/history`, token),
    ).then(setHistory, (e: Error) => onError(e.message));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (results?.length === 1) open(results[0].officerId);
  };

  return (
    <section className="panel records-trainees" aria-labelledby="records-trainees-h">
      <h2 id="records-trainees-h">Trainees</h2>
      <form role="search" className="controls" onSubmit={submit}>
        <label htmlFor="records-q">Search trainees</label>
        <input
          id="records-q"
          type="search"
          placeholder="Name or officer ID"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          autoComplete="off"
        />
      </form>
      {results && (
        <ul className="trainee-results" aria-label="Trainees found">
          {results.length === 0 && <li className="muted">Nobody found.</li>}
          {results.map((m) => (
            <li key={m.officerId}>
              <button
                aria-pressed={history?.officerId === m.officerId}
                onClick={() => open(m.officerId)}
              >
                <span className="name">{m.name}</span> <span className="id">{m.officerId}</span>{' '}
                <span className="muted">{m.agency}</span>{' '}
                <span className="muted">
                  · {m.sessions} session{m.sessions === 1 ? '' : 's'}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {history && (
        <section className="history" aria-label="Training history">
          <div className="panel-head">
            <h3>
              {history.name} <span className="id">{history.officerId}</span>
            </h3>
            <button
              className="primary"
              onClick={() =>
                save(
                  `/api/trainees/${encodeURIComponent(history.officerId)}/history.xlsx`,
                  `muster-history-${safe(history.officerId)}.xlsx`,
                )
              }
            >
              Export history
            </button>
          </div>
          <p className="muted">
            {history.agency} · {history.sessions.length} session
            {history.sessions.length === 1 ? '' : 's'} · {history.totalHours} credit hours
          </p>
          <table className="records-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                {history.sessions.some((h) => h.room !== undefined) && <th scope="col">Room</th>}
                <th scope="col">Course</th>
                <th scope="col">Module</th>
                <th scope="col" className="num">
                  Present
                </th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col">Result</th>
                <th scope="col" className="num">
                  Hours
                </th>
                <th scope="col">Certificate</th>
              </tr>
            </thead>
            <tbody>
              {history.sessions.map((h) => (
                <tr key={h.sessionId}>
                  <td className="nowrap">{h.date}</td>
                  {h.room !== undefined && <td className="nowrap">{h.room}</td>}
                  <td>
                    {h.courseTitle}
                    {h.courseNumber && <span className="muted"> ({h.courseNumber})</span>}
                  </td>
                  <td>{h.module}</td>
                  <td className="num">{pct(h.presentPercent)}</td>
                  <td className="num">{pct(h.scorePercent)}</td>
                  <td className={h.result === 'Fail' ? 'fail' : undefined}>{h.result ?? '—'}</td>
                  <td className="num">
                    {h.creditEarned === null
                      ? 'pending'
                      : (h.hoursAwarded ?? (h.creditEarned ? 'yes' : 'no'))}
                  </td>
                  <td className="id nowrap">{h.certificate ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
