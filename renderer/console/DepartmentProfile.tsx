import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type {
  Department,
  DepartmentProfile as Profile,
  DepartmentReply,
} from '../../shared/records';
import { computerTimeZone } from '../../shared/clock';

/** The form's fields, as typed (numbers too: the server checks them). */
interface Fields {
  agency: string;
  state: string;
  officerIdLabel: string;
  defaultPassMark: string;
  minPresentPercent: string;
  requirePass: boolean;
  basis: 'span' | 'connected';
  lateGraceMinutes: string;
  timeZone: string;
  instructors: { name: string; id: string }[];
}

const fieldsOf = (p: Profile): Fields => ({
  agency: p.agency,
  state: p.state,
  officerIdLabel: p.officerIdLabel,
  defaultPassMark: String(p.defaultPassMark),
  minPresentPercent: String(p.attendanceRule.minPresentPercent),
  requirePass: p.attendanceRule.requirePass,
  basis: p.attendanceRule.basis,
  lateGraceMinutes: String(p.lateGraceMinutes),
  // Empty while it is this computer's: the profile then follows the computer (a laptop that travels).
  timeZone: p.timeZone === computerTimeZone() ? '' : p.timeZone,
  instructors: p.instructors,
});

/** The zones this browser knows, for the time zone field's suggestions. */
const ZONES: string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** A number field left empty falls back to the default; anything else is sent as typed, for the server to judge. */
const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

/**
 * The department profile every export applies (settings.json `department`): agency, state, what
 * the standards body calls the officer ID, the default pass mark, the credit rule, the time zone
 * times are read in, and the instructors with their IDs (for the certification roster).
 * `onProfile` hears the profile in force, when it is loaded and when it is saved (keep it stable:
 * a new one loads the profile again).
 */
export function DepartmentProfile({
  token,
  onProfile,
}: {
  token: string;
  onProfile?: (p: Profile) => void;
}) {
  const [f, setF] = useState<Fields | null>(null);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetch('/api/department', { headers: { 'X-Muster-Token': token } })
      .then(async (res) => {
        if (!res.ok) throw new Error((await res.text()) || `HTTP ${res.status}`);
        const reply = (await res.json()) as DepartmentReply;
        setF(fieldsOf(reply.profile));
        onProfile?.(reply.profile);
      })
      .catch((e: Error) => setProblem(e.message));
  }, [token, onProfile]);

  const set = <K extends keyof Fields>(k: K, v: Fields[K]) => {
    setF((old) => old && { ...old, [k]: v });
    setStatus('');
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!f) return;
    const body: Department = {
      agency: f.agency,
      state: f.state,
      officerIdLabel: f.officerIdLabel,
      defaultPassMark: num(f.defaultPassMark),
      attendanceRule: {
        minPresentPercent: num(f.minPresentPercent),
        requirePass: f.requirePass,
        basis: f.basis,
      },
      lateGraceMinutes: num(f.lateGraceMinutes),
      timeZone: f.timeZone.trim() || undefined,
      instructors: f.instructors.filter((i) => i.name.trim() || i.id.trim()),
    };
    setBusy(true);
    setProblem('');
    setStatus('');
    fetch('/api/department', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-Muster-Token': token },
      body: JSON.stringify(body),
    })
      .then(async (res) => {
        const reply = (await res.json().catch(() => null)) as
          (DepartmentReply & { message?: string }) | null;
        if (!res.ok || !reply?.profile) throw new Error(reply?.message ?? `HTTP ${res.status}`);
        setF(fieldsOf(reply.profile));
        onProfile?.(reply.profile);
        setStatus('Saved');
      })
      .catch((err: Error) => setProblem(err.message))
      .finally(() => setBusy(false));
  };

  return (
    <section className="panel records-department" aria-labelledby="records-department-h">
      <h2 id="records-department-h">Department profile</h2>
      <p className="muted">
        Applied to every export: the officer ID column heading, the pass mark when a course sets
        none, who earns the credit hours, the time zone every time is shown in, and your
        instructors’ IDs.
      </p>
      {f === null ? (
        !problem && <p className="muted">Loading…</p>
      ) : (
        <form className="department-form" onSubmit={save} noValidate>
          <label className="agency">
            Agency or academy{' '}
            <input
              type="text"
              value={f.agency}
              maxLength={200}
              onChange={(e) => set('agency', e.target.value)}
            />
          </label>
          <label className="state">
            State{' '}
            <input
              type="text"
              value={f.state}
              maxLength={60}
              placeholder="e.g. TX"
              onChange={(e) => set('state', e.target.value)}
            />
          </label>
          <label>
            Officer ID label{' '}
            <input
              type="text"
              value={f.officerIdLabel}
              maxLength={40}
              placeholder="e.g. TCOLE PID"
              onChange={(e) => set('officerIdLabel', e.target.value)}
            />
          </label>
          <label>
            Default pass mark (%){' '}
            <input
              type="number"
              min={0}
              max={100}
              step="any"
              value={f.defaultPassMark}
              onChange={(e) => set('defaultPassMark', e.target.value)}
            />
          </label>
          <fieldset>
            <legend>Credit hours are earned when</legend>
            <label>
              Present at least (%){' '}
              <input
                type="number"
                min={0}
                max={100}
                step="any"
                value={f.minPresentPercent}
                onChange={(e) => set('minPresentPercent', e.target.value)}
              />
            </label>
            <label>
              Present means{' '}
              <select
                value={f.basis}
                onChange={(e) => set('basis', e.target.value as Fields['basis'])}
              >
                <option value="span">Check-in to check-out</option>
                <option value="connected">Minutes connected</option>
              </select>
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={f.requirePass}
                onChange={(e) => set('requirePass', e.target.checked)}
              />{' '}
              and passed the assessment
            </label>
          </fieldset>
          <label>
            Late grace (minutes){' '}
            <input
              type="number"
              min={0}
              max={240}
              step="any"
              value={f.lateGraceMinutes}
              onChange={(e) => set('lateGraceMinutes', e.target.value)}
            />
          </label>
          <label className="zone">
            Time zone{' '}
            <input
              type="text"
              list="time-zones"
              value={f.timeZone}
              placeholder={`this computer’s: ${computerTimeZone()}`}
              maxLength={64}
              onChange={(e) => set('timeZone', e.target.value)}
            />
            <datalist id="time-zones">
              {ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </label>
          <fieldset className="instructors">
            <legend>Instructors and their IDs (for the certification roster)</legend>
            {f.instructors.map((i, k) => (
              <div key={k} className="instructor">
                <input
                  type="text"
                  aria-label={`Instructor ${k + 1} name`}
                  placeholder="Name, e.g. Maria Lopez"
                  value={i.name}
                  maxLength={100}
                  onChange={(e) =>
                    set(
                      'instructors',
                      f.instructors.map((x, j) => (j === k ? { ...x, name: e.target.value } : x)),
                    )
                  }
                />
                <input
                  type="text"
                  aria-label={`Instructor ${k + 1} ID`}
                  placeholder="ID, e.g. PID 1187"
                  value={i.id}
                  maxLength={40}
                  onChange={(e) =>
                    set(
                      'instructors',
                      f.instructors.map((x, j) => (j === k ? { ...x, id: e.target.value } : x)),
                    )
                  }
                />
                <button
                  type="button"
                  aria-label={`Remove instructor ${k + 1}`}
                  onClick={() =>
                    set(
                      'instructors',
                      f.instructors.filter((_, j) => j !== k),
                    )
                  }
                >
                  ✕
                </button>
              </div>
            ))}
            <button
              type="button"
              disabled={f.instructors.length >= 100}
              onClick={() => set('instructors', [...f.instructors, { name: '', id: '' }])}
            >
              Add instructor
            </button>
          </fieldset>
          <div className="controls">
            <button type="submit" className="primary" disabled={busy}>
              Save
            </button>
            <span className="saved" role="status">
              {status}
            </span>
          </div>
        </form>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
