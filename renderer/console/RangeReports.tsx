import { useEffect, useMemo, useRef, useState } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale } from 'chart.js';
import type { SessionListItem, WeakSpots } from '../../shared/records';
import type { ExportProfile } from '../../shared/export-profiles';
import { clockFor } from '../../shared/clock';
import { apiUrl, getJson } from './records-client';
import { DepartmentGapsReport } from './DepartmentGaps';
import type { DepartmentGaps } from '../../shared/department-gaps';
import type { Save } from './records-client';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend);

interface Props {
  token: string;
  sessions: SessionListItem[];
  /** The department's export profiles (the shipped ones until it saves its own). */
  profiles: ExportProfile[];
  timeZone: string;
  save: Save;
  onError: (m: string) => void;
  /** The records office: the room chosen ('' for all); no department gap audit (it is read on each console). */
  room?: string;
}

/**
 * The certification roster for a date range (and course), laid out by an export profile: the
 * workbook for people, a PDF to print, the CSV for a portal upload; the weak-spot report; and the
 * anonymous Department gaps report.
 */
export function RangeReports({ token, sessions, profiles, timeZone, save, onError, room }: Props) {
  const today = () => clockFor(timeZone).date(Date.now());
  const [from, setFrom] = useState(() => `${Number(today().slice(0, 4)) - 1}${today().slice(4)}`);
  const [to, setTo] = useState(today);
  const [course, setCourse] = useState('');
  const [profile, setProfile] = useState('');
  const chosen = profiles.find((p) => p.id === profile) ?? profiles[0];
  const [weak, setWeak] = useState<WeakSpots | null>(null);
  const [gaps, setGaps] = useState<DepartmentGaps | null>(null);
  const courses = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of sessions)
      if (!m.has(s.course))
        m.set(s.course, s.courseNumber ? `${s.courseTitle} (${s.courseNumber})` : s.courseTitle);
    return [...m.entries()];
  }, [sessions]);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const range: Record<string, string> = room ? { from, to, course, room } : { from, to, course };
  const params = { ...range, profile: chosen?.id ?? '' };
  const stem = `muster-roster-${chosen ? `${chosen.id}-` : ''}${from}-to-${to}`;

  useEffect(() => {
    if (!valid) return;
    let stale = false;
    getJson<WeakSpots>(apiUrl('/api/weak-spots', token, { from, to, course })).then(
      (w) => !stale && setWeak(w),
      (e: Error) => onError(e.message),
    );
    // The records office (room set) has no department gap audit: it is read on each console.
    if (room === undefined)
      getJson<DepartmentGaps>(apiUrl('/api/department-gaps', token, { from, to, course })).then(
        (g) => !stale && setGaps(g),
        (e: Error) => onError(e.message),
      );
    return () => {
      stale = true;
    };
  }, [from, to, course, valid, token, onError, sessions, room]);

  return (
    <section className="panel records-range" aria-labelledby="records-range-h">
      <h2 id="records-range-h">
        {room === undefined
          ? 'Certification roster, weak spots and department gaps'
          : 'Certification roster and weak spots'}
      </h2>
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
        <label>
          Layout{' '}
          <select value={chosen?.id ?? ''} onChange={(e) => setProfile(e.target.value)}>
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="controls export-buttons">
        <button
          className="primary"
          disabled={!valid}
          onClick={() => save('/api/roster.xlsx', `${stem}.xlsx`, params)}
        >
          Roster workbook
        </button>
        <button disabled={!valid} onClick={() => save('/api/roster.pdf', `${stem}.pdf`, params)}>
          Roster PDF
        </button>
        <button
          disabled={!valid}
          onClick={() => save('/api/roster.csv', `${stem}.csv`, params)}
          aria-describedby="csv-note"
        >
          Roster CSV for upload
        </button>
        <button
          disabled={!valid}
          onClick={() =>
            save('/api/weak-spots.xlsx', `muster-weak-spots-${from}-to-${to}.xlsx`, range)
          }
        >
          Export weak spots
        </button>
      </div>
      <p className="muted small" id="csv-note">
        The workbook and the PDF are for people. The CSV is for a state portal’s upload: a
        spreadsheet program that opens it drops leading zeros from officer IDs (00417 becomes 417).
      </p>
      {!valid && <p className="error">Choose a start date on or before the end date.</p>}
      {weak && valid && (
        <>
          <p className="muted">
            {weak.sessions} session{weak.sessions === 1 ? '' : 's'} · {weak.answers} answers after
            teaching (post-test, quizzes, live questions) · weakest first
            {weak.pretestAnswers > 0 && (
              <> · the {weak.pretestAnswers} pre-test answers are the baseline, not counted</>
            )}
          </p>
          {weak.answers + weak.pretestAnswers > 0 && (
            <div className="weak-charts">
              <WeakChart
                title="Share correct by topic"
                rows={weak.byTag.map((t) => ({ label: t.tag, ...t }))}
              />
              <WeakChart
                title="Share correct by agency"
                rows={weak.byAgency.map((a) => ({ label: a.agency, ...a }))}
              />
            </div>
          )}
        </>
      )}
      {gaps && valid && (
        <DepartmentGapsReport
          gaps={gaps}
          onExport={() =>
            save('/api/department-gaps.xlsx', `muster-department-gaps-${from}-to-${to}.xlsx`, {
              from,
              to,
              course,
            })
          }
        />
      )}
    </section>
  );
}

const OK = '#2e9d5b';
const WARN = '#d9a23a';
const BAD = '#d0543f';
const colour = (share: number) => (share >= 0.8 ? OK : share >= 0.6 ? WARN : BAD);

type WeakRow = {
  label: string;
  share: number;
  answered: number;
  pretest: { answered: number; share: number };
};
const percent = (answered: number, share: number) =>
  answered ? `${Math.round(share * 100)}%` : '—';

/**
 * Share correct as horizontal bars (0–100 %), after teaching in colour and the pre-test baseline
 * in grey under it, with the numbers in a table beside them.
 */
function WeakChart({ title, rows }: { title: string; rows: WeakRow[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'> | null>(null);
  const shown = rows.slice(0, 12);

  useEffect(() => {
    if (!canvas.current) return;
    const color = getComputedStyle(canvas.current).color || '#f3f5f8';
    const grid = 'rgba(169, 180, 194, 0.25)';
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'After teaching', data: [], backgroundColor: [] },
          { label: 'Pre-test (baseline)', data: [], backgroundColor: 'rgba(169, 180, 194, 0.55)' },
        ],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: true, labels: { color, boxWidth: 14 } } },
        scales: {
          x: {
            min: 0,
            max: 100,
            ticks: { callback: (v) => `${v}%`, color },
            grid: { color: grid },
          },
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
    c.data.datasets[0].data = shown.map((r) =>
      r.answered ? Math.round(r.share * 1000) / 10 : null,
    );
    c.data.datasets[0].backgroundColor = shown.map((r) => colour(r.share));
    c.data.datasets[1].data = shown.map((r) =>
      r.pretest.answered ? Math.round(r.pretest.share * 1000) / 10 : null,
    );
    c.update();
  });

  return (
    <figure className="weak-chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box" style={{ height: `${Math.max(120, 44 * shown.length + 40)}px` }}>
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${title}: ${shown.map((r) => `${r.label} ${percent(r.answered, r.share)} (pre-test ${percent(r.pretest.answered, r.pretest.share)})`).join(', ')}`}
        />
      </div>
      <table className="records-table compact">
        <thead>
          <tr>
            <th scope="col">
              {title.replace('Share correct by ', '').replace(/^./, (c) => c.toUpperCase())}
            </th>
            <th scope="col" className="num">
              Answers
            </th>
            <th scope="col" className="num">
              Share correct
            </th>
            <th scope="col" className="num">
              Pre-test (baseline)
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.label}>
              <td>{r.label}</td>
              <td className="num">{r.answered}</td>
              <td className="num">{percent(r.answered, r.share)}</td>
              <td className="num muted">{percent(r.pretest.answered, r.pretest.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
