import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { BarController, BarElement, CategoryScale, Chart, LinearScale } from 'chart.js';
import type { SessionListItem, TraineeHistory, TraineeMatch, WeakSpots } from '../../shared/records';
import { bridge } from '../platform';
import { SessionAttendance } from './SessionAttendance';
import { DepartmentProfile } from './DepartmentProfile';
import { DepartmentGapsReport } from './DepartmentGaps';
import type { DepartmentGaps } from '../../shared/department-gaps';
import './records.css';

Chart.register(BarController, BarElement, CategoryScale, LinearScale);

/** An API address with the console token (and any query parameters that are set). */
function apiUrl(path: string, token: string, params: Record<string, string | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  q.set('token', token);
  return `${path}?${q}`;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error((await res.text()) || `HTTP ${res.status}`);
  return (await res.json()) as T;
}

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 10) / 10}%`);
const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '_').slice(0, 40);

/**
 * Records: past sessions with re-export, trainee search and training history, the certification
 * roster by date range, and the weak-spot report (share correct by topic and by agency).
 */
export function Records({ token }: { token: string }) {
  const [sessions, setSessions] = useState<SessionListItem[] | null>(null);
  const [error, setError] = useState('');
  // The session whose attendance is shown (and can be corrected) under the list.
  const [attendanceOf, setAttendanceOf] = useState<SessionListItem | null>(null);

  useEffect(() => {
    getJson<SessionListItem[]>(apiUrl('/api/records/sessions', token)).then(setSessions, (e: Error) => setError(e.message));
  }, [token]);

  const save = (path: string, name: string, params: Record<string, string> = {}) => {
    void bridge.saveFile(apiUrl(path, token, params), name).catch((e: Error) => setError(e.message));
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
        <RangeReports token={token} sessions={sessions ?? []} save={save} onError={setError} />
        <section className="panel records-sessions" aria-labelledby="records-sessions-h">
          <h2 id="records-sessions-h">Past sessions</h2>
          {sessions === null ? (
            <p className="muted">Loading…</p>
          ) : sessions.length === 0 ? (
            <p className="muted">No sessions yet. Sessions appear here once a class has started.</p>
          ) : (
            <table className="records-table">
              <thead>
                <tr>
                  <th scope="col">Date</th>
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
                  const date = day(new Date(s.startedAt));
                  const what = `${date} ${s.title}`;
                  const stem = `muster-${date}-${s.id.slice(0, 8)}`;
                  return (
                    <tr key={s.id}>
                      <td className="nowrap">
                        {date}
                        {s.endedAt === null && <span className="tag"> running</span>}
                      </td>
                      <td>
                        {s.courseTitle}
                        {s.courseNumber && <span className="muted"> ({s.courseNumber})</span>}
                      </td>
                      <td>{s.title}</td>
                      <td className="num">{s.trainees}</td>
                      <td className="actions">
                        <button aria-label={`Workbook — ${what}`} onClick={() => save(`/api/sessions/${s.id}/export.xlsx`, `${stem}.xlsx`)}>
                          Workbook
                        </button>
                        <button aria-label={`Sign-in sheet — ${what}`} onClick={() => save(`/api/sessions/${s.id}/sign-in.html`, `${stem}-sign-in.html`)}>
                          Sign-in sheet
                        </button>
                        <button aria-label={`Scores CSV — ${what}`} onClick={() => save(`/api/sessions/${s.id}/Scores.csv`, `${stem}-scores.csv`)}>
                          Scores CSV
                        </button>
                        <button aria-label={`Attendance — ${what}`} aria-pressed={attendanceOf?.id === s.id} onClick={() => setAttendanceOf(attendanceOf?.id === s.id ? null : s)}>
                          Attendance
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {attendanceOf && <SessionAttendance key={attendanceOf.id} session={attendanceOf} token={token} onClose={() => setAttendanceOf(null)} />}
        </section>
        <DepartmentProfile token={token} />
      </div>
    </main>
  );
}

type Save = (path: string, name: string, params?: Record<string, string>) => void;

function TraineeSearch({ token, save, onError }: { token: string; save: Save; onError: (m: string) => void }) {
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
    getJson<TraineeHistory>(apiUrl(`/api/trainees/${encodeURIComponent(officerId)}/history`, token)).then(setHistory, (e: Error) => onError(e.message));
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
        <input id="records-q" type="search" placeholder="Name or officer ID" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
      </form>
      {results && (
        <ul className="trainee-results" aria-label="Trainees found">
          {results.length === 0 && <li className="muted">Nobody found.</li>}
          {results.map((m) => (
            <li key={m.officerId}>
              <button aria-pressed={history?.officerId === m.officerId} onClick={() => open(m.officerId)}>
                <span className="name">{m.name}</span> <span className="id">{m.officerId}</span> <span className="muted">{m.agency}</span>{' '}
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
            <button className="primary" onClick={() => save(`/api/trainees/${encodeURIComponent(history.officerId)}/history.xlsx`, `muster-history-${safe(history.officerId)}.xlsx`)}>
              Export history
            </button>
          </div>
          <p className="muted">
            {history.agency} · {history.sessions.length} session{history.sessions.length === 1 ? '' : 's'} · {history.totalHours} credit hours
          </p>
          <table className="records-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
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
                  <td>
                    {h.courseTitle}
                    {h.courseNumber && <span className="muted"> ({h.courseNumber})</span>}
                  </td>
                  <td>{h.module}</td>
                  <td className="num">{pct(h.presentPercent)}</td>
                  <td className="num">{pct(h.scorePercent)}</td>
                  <td className={h.result === 'Fail' ? 'fail' : undefined}>{h.result ?? '—'}</td>
                  <td className="num">{h.creditEarned === null ? 'pending' : (h.hoursAwarded ?? (h.creditEarned ? 'yes' : 'no'))}</td>
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

function RangeReports({ token, sessions, save, onError }: { token: string; sessions: SessionListItem[]; save: Save; onError: (m: string) => void }) {
  const [from, setFrom] = useState(() => {
    const d = new Date();
    d.setFullYear(d.getFullYear() - 1);
    return day(d);
  });
  const [to, setTo] = useState(() => day(new Date()));
  const [course, setCourse] = useState('');
  const [weak, setWeak] = useState<WeakSpots | null>(null);
  const [gaps, setGaps] = useState<DepartmentGaps | null>(null);
  const courses = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of sessions) if (!m.has(s.course)) m.set(s.course, s.courseNumber ? `${s.courseTitle} (${s.courseNumber})` : s.courseTitle);
    return [...m.entries()];
  }, [sessions]);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const params = { from, to, course };

  useEffect(() => {
    if (!valid) return;
    let stale = false;
    getJson<WeakSpots>(apiUrl('/api/weak-spots', token, { from, to, course })).then(
      (w) => !stale && setWeak(w),
      (e: Error) => onError(e.message),
    );
    getJson<DepartmentGaps>(apiUrl('/api/department-gaps', token, { from, to, course })).then(
      (g) => !stale && setGaps(g),
      (e: Error) => onError(e.message),
    );
    return () => {
      stale = true;
    };
  }, [from, to, course, valid, token, onError, sessions]);

  return (
    <section className="panel records-range" aria-labelledby="records-range-h">
      <h2 id="records-range-h">Certification roster, weak spots and department gaps</h2>
      <div className="controls">
        <label>
          From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Course{' '}
          <select value={course} onChange={(e) => setCourse(e.target.value)}>
            <option value="">All courses</option>
            {courses.map(([id, title]) => (
              <option key={id} value={id}>
                {title}
              </option>
            ))}
          </select>
        </label>
        <button className="primary" disabled={!valid} onClick={() => save('/api/roster.xlsx', `muster-roster-${from}-to-${to}.xlsx`, params)}>
          Export roster
        </button>
        <button disabled={!valid} onClick={() => save('/api/weak-spots.xlsx', `muster-weak-spots-${from}-to-${to}.xlsx`, params)}>
          Export weak spots
        </button>
      </div>
      {!valid && <p className="error">Choose a start date on or before the end date.</p>}
      {weak && valid && (
        <>
          <p className="muted">
            {weak.sessions} session{weak.sessions === 1 ? '' : 's'} · {weak.answers} answers to graded questions · weakest first
          </p>
          {weak.answers > 0 && (
            <div className="weak-charts">
              <WeakChart title="Share correct by topic" rows={weak.byTag.map((t) => ({ label: t.tag, share: t.share, answered: t.answered }))} />
              <WeakChart title="Share correct by agency" rows={weak.byAgency.map((a) => ({ label: a.agency, share: a.share, answered: a.answered }))} />
            </div>
          )}
        </>
      )}
      {gaps && valid && <DepartmentGapsReport gaps={gaps} onExport={() => save('/api/department-gaps.xlsx', `muster-department-gaps-${from}-to-${to}.xlsx`, params)} />}
    </section>
  );
}

const OK = '#2e9d5b';
const WARN = '#d9a23a';
const BAD = '#d0543f';
const colour = (share: number) => (share >= 0.8 ? OK : share >= 0.6 ? WARN : BAD);

/** Share correct as horizontal bars (0–100 %), with the numbers in a table beside it. */
function WeakChart({ title, rows }: { title: string; rows: { label: string; share: number; answered: number }[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'> | null>(null);
  const shown = rows.slice(0, 12);

  useEffect(() => {
    if (!canvas.current) return;
    const color = getComputedStyle(canvas.current).color || '#f3f5f8';
    const grid = 'rgba(169, 180, 194, 0.25)';
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data: { labels: [], datasets: [{ label: title, data: [], backgroundColor: [] }] },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%`, color }, grid: { color: grid } },
          y: { ticks: { color }, grid: { color: grid } },
        },
      },
    });
    return () => chart.current?.destroy();
  }, [title]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.labels = shown.map((r) => (r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label));
    c.data.datasets[0].data = shown.map((r) => Math.round(r.share * 1000) / 10);
    c.data.datasets[0].backgroundColor = shown.map((r) => colour(r.share));
    c.update();
  });

  return (
    <figure className="weak-chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box" style={{ height: `${Math.max(120, 34 * shown.length + 40)}px` }}>
        <canvas ref={canvas} role="img" aria-label={`${title}: ${shown.map((r) => `${r.label} ${Math.round(r.share * 100)}%`).join(', ')}`} />
      </div>
      <table className="records-table compact">
        <thead>
          <tr>
            <th scope="col">{title.replace('Share correct by ', '').replace(/^./, (c) => c.toUpperCase())}</th>
            <th scope="col" className="num">
              Answers
            </th>
            <th scope="col" className="num">
              Share correct
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.label}>
              <td>{r.label}</td>
              <td className="num">{r.answered}</td>
              <td className="num">{Math.round(r.share * 100)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
