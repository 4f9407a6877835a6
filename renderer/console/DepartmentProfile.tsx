import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Department, DepartmentProfile as Profile, DepartmentReply } from '../../shared/records';

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
});

/** A number field left empty falls back to the default; anything else is sent as typed, for the server to judge. */
const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

/**
 * The department profile every export applies (settings.json `department`): agency, state, what
 * the standards body calls the officer ID, the default pass mark and the credit rule.
 */
export function DepartmentProfile({ token }: { token: string }) {
  const [f, setF] = useState<Fields | null>(null);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetch('/api/department', { headers: { 'X-Muster-Token': token } })
      .then(async (res) => {
        if (!res.ok) throw new Error((await res.text()) || `HTTP ${res.status}`);
        setF(fieldsOf(((await res.json()) as DepartmentReply).profile));
      })
      .catch((e: Error) => setProblem(e.message));
  }, [token]);

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
      attendanceRule: { minPresentPercent: num(f.minPresentPercent), requirePass: f.requirePass, basis: f.basis },
      lateGraceMinutes: num(f.lateGraceMinutes),
    };
    setBusy(true);
    setProblem('');
    setStatus('');
    fetch('/api/department', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-Muster-Token': token }, body: JSON.stringify(body) })
      .then(async (res) => {
        const reply = (await res.json().catch(() => null)) as (DepartmentReply & { message?: string }) | null;
        if (!res.ok || !reply?.profile) throw new Error(reply?.message ?? `HTTP ${res.status}`);
        setF(fieldsOf(reply.profile));
        setStatus('Saved');
      })
      .catch((err: Error) => setProblem(err.message))
      .finally(() => setBusy(false));
  };

  return (
    <section className="panel records-department" aria-labelledby="records-department-h">
      <h2 id="records-department-h">Department profile</h2>
      <p className="muted">Applied to every export: the officer ID column heading, the pass mark when a course sets none, and who earns the credit hours.</p>
      {f === null ? (
        !problem && <p className="muted">Loading…</p>
      ) : (
        <form className="department-form" onSubmit={save} noValidate>
          <label className="agency">
            Agency or academy <input type="text" value={f.agency} maxLength={200} onChange={(e) => set('agency', e.target.value)} />
          </label>
          <label className="state">
            State <input type="text" value={f.state} maxLength={60} placeholder="e.g. TX" onChange={(e) => set('state', e.target.value)} />
          </label>
          <label>
            Officer ID label <input type="text" value={f.officerIdLabel} maxLength={40} placeholder="e.g. TCOLE PID" onChange={(e) => set('officerIdLabel', e.target.value)} />
          </label>
          <label>
            Default pass mark (%) <input type="number" min={0} max={100} step="any" value={f.defaultPassMark} onChange={(e) => set('defaultPassMark', e.target.value)} />
          </label>
          <fieldset>
            <legend>Credit hours are earned when</legend>
            <label>
              Present at least (%) <input type="number" min={0} max={100} step="any" value={f.minPresentPercent} onChange={(e) => set('minPresentPercent', e.target.value)} />
            </label>
            <label>
              Present means{' '}
              <select value={f.basis} onChange={(e) => set('basis', e.target.value as Fields['basis'])}>
                <option value="span">Check-in to check-out</option>
                <option value="connected">Minutes connected</option>
              </select>
            </label>
            <label className="check">
              <input type="checkbox" checked={f.requirePass} onChange={(e) => set('requirePass', e.target.checked)} /> and passed the assessment
            </label>
          </fieldset>
          <label>
            Late grace (minutes) <input type="number" min={0} max={240} step="any" value={f.lateGraceMinutes} onChange={(e) => set('lateGraceMinutes', e.target.value)} />
          </label>
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
