import { useState } from 'react';
import {
  DATE_FORMATS,
  PROFILE_LIMITS,
  ROSTER_COLUMNS,
  ROSTER_COLUMN_FIELDS,
  TIME_FORMATS,
} from '../../shared/export-profiles';
import type {
  DateFormat,
  ExportProfile,
  ExportProfileColumn,
  ExportProfilesReply,
  RosterColumnField,
  TimeFormat,
} from '../../shared/export-profiles';
import { sendJson } from './records-client';

interface Props {
  token: string;
  reply: ExportProfilesReply;
  onSaved: (reply: ExportProfilesReply) => void;
}

/** A fresh id for a copied profile: the name's letters, made unique. */
function newId(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'profile';
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

/**
 * The export profiles the certification roster is laid out by: which columns, in which order,
 * under which headers, the date and time format, and who is listed. Records staff edit them here
 * (a header a portal wants, a fixed training-provider number, another date format); the next
 * roster export uses them. The shipped profiles are starting points and can always be restored.
 */
export function ExportProfiles({ token, reply, onSaved }: Props) {
  const [draft, setDraft] = useState<ExportProfile[]>(() => structuredClone(reply.profiles));
  const [current, setCurrent] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const p = draft[Math.min(current, draft.length - 1)];

  const change = (f: (p: ExportProfile) => ExportProfile) => {
    setDraft((d) => d.map((x, i) => (i === Math.min(current, d.length - 1) ? f(x) : x)));
    setDirty(true);
    setStatus('');
  };
  const setColumn = (i: number, c: Partial<ExportProfileColumn>) =>
    change((x) => ({
      ...x,
      columns: x.columns.map((col, j) => (j === i ? { ...col, ...c } : col)),
    }));
  const move = (i: number, by: -1 | 1) =>
    change((x) => {
      const cols = [...x.columns];
      [cols[i], cols[i + by]] = [cols[i + by], cols[i]];
      return { ...x, columns: cols };
    });

  const send = (profiles: ExportProfile[] | null, done: string) => {
    setBusy(true);
    setProblem('');
    sendJson<ExportProfilesReply>('/api/export-profiles', token, 'PUT', { profiles })
      .then((r) => {
        setDraft(structuredClone(r.profiles));
        setCurrent((c) => Math.min(c, r.profiles.length - 1));
        setDirty(false);
        setStatus(done);
        onSaved(r);
      })
      .catch((e: Error) => setProblem(e.message))
      .finally(() => setBusy(false));
  };

  return (
    <section className="panel records-profiles" aria-labelledby="records-profiles-h">
      <h2 id="records-profiles-h">Roster layouts (export profiles)</h2>
      <p className="muted">
        How the certification roster is laid out for your standards body. Change a header, the
        order, the date format, or add a column with fixed text; the next roster export uses it.
        {reply.shipped &&
          !dirty &&
          ' These are the shipped starting points: check them against your state’s template.'}
      </p>
      <div className="controls">
        <label>
          Profile{' '}
          <select
            value={Math.min(current, draft.length - 1)}
            onChange={(e) => setCurrent(Number(e.target.value))}
          >
            {draft.map((x, i) => (
              <option key={x.id} value={i}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <button
          disabled={busy || draft.length >= PROFILE_LIMITS.profiles}
          onClick={() => {
            const copy = {
              ...structuredClone(p),
              name: `${p.name} (copy)`.slice(0, PROFILE_LIMITS.name),
              id: newId(`${p.name} copy`, new Set(draft.map((x) => x.id))),
            };
            setDraft((d) => [...d, copy]);
            setCurrent(draft.length);
            setDirty(true);
          }}
        >
          Copy profile
        </button>
        <button
          disabled={busy || draft.length <= 1}
          onClick={() => {
            setDraft((d) => d.filter((_, i) => i !== current));
            setCurrent(0);
            setDirty(true);
          }}
        >
          Delete profile
        </button>
      </div>
      {p && (
        <div className="profile-form">
          <div className="controls">
            <label>
              Name{' '}
              <input
                type="text"
                value={p.name}
                maxLength={PROFILE_LIMITS.name}
                onChange={(e) => change((x) => ({ ...x, name: e.target.value }))}
              />
            </label>
            <label>
              Dates as{' '}
              <select
                value={p.dateFormat}
                onChange={(e) =>
                  change((x) => ({ ...x, dateFormat: e.target.value as DateFormat }))
                }
              >
                {DATE_FORMATS.map((f) => (
                  <option key={f}>{f}</option>
                ))}
              </select>
            </label>
            <label>
              Times as{' '}
              <select
                value={p.timeFormat}
                onChange={(e) =>
                  change((x) => ({ ...x, timeFormat: e.target.value as TimeFormat }))
                }
              >
                {TIME_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {f === 'HH:mm' ? '13:30' : '1:30 PM'}
                  </option>
                ))}
              </select>
            </label>
            <label>
              List{' '}
              <select
                value={p.include}
                onChange={(e) =>
                  change((x) => ({ ...x, include: e.target.value as ExportProfile['include'] }))
                }
              >
                <option value="all">everyone who attended</option>
                <option value="credit">only those who earned the credit</option>
              </select>
            </label>
          </div>
          {p.note && <p className="muted small profile-note">{p.note}</p>}
          <table className="records-table compact profile-columns">
            <caption className="visually-hidden">Columns of {p.name}, in order</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Holds</th>
                <th scope="col">Header</th>
                <th scope="col">Fixed text</th>
                <th scope="col">
                  <span className="visually-hidden">Order</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.columns.map((c, i) => (
                <tr key={i}>
                  <td className="num">{i + 1}</td>
                  <td>
                    <select
                      aria-label={`Column ${i + 1} holds`}
                      value={c.field}
                      onChange={(e) => setColumn(i, { field: e.target.value as RosterColumnField })}
                    >
                      {ROSTER_COLUMN_FIELDS.map((f) => (
                        <option key={f} value={f}>
                          {ROSTER_COLUMNS[f]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="text"
                      aria-label={`Column ${i + 1} header`}
                      value={c.header}
                      maxLength={PROFILE_LIMITS.header}
                      placeholder={
                        c.field === 'officerId' ? 'the officer ID label' : ROSTER_COLUMNS[c.field]
                      }
                      onChange={(e) => setColumn(i, { header: e.target.value })}
                    />
                  </td>
                  <td>
                    {c.field === 'fixed' && (
                      <input
                        type="text"
                        aria-label={`Column ${i + 1} fixed text`}
                        value={c.value ?? ''}
                        maxLength={PROFILE_LIMITS.fixed}
                        onChange={(e) => setColumn(i, { value: e.target.value })}
                      />
                    )}
                  </td>
                  <td>
                    <div className="row-buttons">
                      <button
                        aria-label={`Move column ${i + 1} up`}
                        disabled={i === 0}
                        onClick={() => move(i, -1)}
                      >
                        ↑
                      </button>
                      <button
                        aria-label={`Move column ${i + 1} down`}
                        disabled={i === p.columns.length - 1}
                        onClick={() => move(i, 1)}
                      >
                        ↓
                      </button>
                      <button
                        aria-label={`Remove column ${i + 1}`}
                        disabled={p.columns.length <= 1}
                        onClick={() =>
                          change((x) => ({ ...x, columns: x.columns.filter((_, j) => j !== i) }))
                        }
                      >
                        ✕
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="controls">
            <button
              disabled={p.columns.length >= PROFILE_LIMITS.columns}
              onClick={() =>
                change((x) => ({
                  ...x,
                  columns: [...x.columns, { field: 'fixed', header: '', value: '' }],
                }))
              }
            >
              Add column
            </button>
            <button
              className="primary"
              disabled={busy || !dirty}
              onClick={() => send(draft, 'Saved: the next roster export uses these layouts.')}
            >
              Save profiles
            </button>
            <button
              disabled={busy}
              onClick={() =>
                confirm('Put back the shipped profiles? Your changes to the layouts are lost.') &&
                send(null, 'The shipped profiles are back.')
              }
            >
              Restore shipped profiles
            </button>
            <span className="saved" role="status">
              {status}
            </span>
          </div>
        </div>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
