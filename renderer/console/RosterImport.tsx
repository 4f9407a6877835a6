import { useState } from 'react';
import type { ChangeEvent } from 'react';
import { ROSTER_FIELDS, ROSTER_FIELD_LABELS, ROSTER_LIMITS, XLSX_MIME } from '../../shared/roster';
import type {
  RosterField,
  RosterImportReply,
  RosterMapping,
  RosterPreview,
  RosterPreviewReply,
  RosterSummary,
} from '../../shared/roster';
import './roster.css';
import { errorMessage } from '../../shared/errors';

interface Props {
  token: string;
  /** The roster that applies now (the running class's, or the next class's). */
  roster: RosterSummary | null;
  /** A class is running: an import replaces its roster. */
  live: boolean;
}

/** Rows shown in the preview table; the import takes all of them. */
const SHOWN = 50;

/**
 * Roster import: choose a CSV or XLSX file, check the preview (columns found, rows with problems),
 * fix the column mapping if needed, then import. The server reads the file in a sandboxed worker
 * (main/records/roster.ts) and imports nothing unless the preview allows it.
 */
export function RosterImport({ token, roster, live }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [mapping, setMapping] = useState<RosterMapping>({});
  const [preview, setPreview] = useState<RosterPreview | null>(null);
  const [skipErrors, setSkipErrors] = useState(false);
  // The clerk confirmed: officer IDs that lost their leading zeros get them back.
  const [fixIds, setFixIds] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');

  const send = async <T,>(
    what: 'preview' | 'import',
    f: File,
    m: RosterMapping,
    fix: boolean,
    extra = '',
  ): Promise<T> => {
    const type = /\.xlsx$/i.test(f.name)
      ? XLSX_MIME
      : /\.(csv|txt)$/i.test(f.name)
        ? 'text/csv'
        : f.type || 'application/octet-stream';
    const q = `name=${encodeURIComponent(name.trim() || rosterName(f.name))}&mapping=${encodeURIComponent(JSON.stringify(m))}${fix ? '&fixIds=1' : ''}${extra}`;
    const res = await fetch(`/api/roster/${what}?${q}`, {
      method: 'POST',
      headers: { 'Content-Type': type, 'X-Muster-Token': token },
      body: f,
    });
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      return { ok: false, message: text || `the server answered ${res.status}` } as T;
    }
  };

  const load = async (f: File, m: RosterMapping, fix = fixIds) => {
    setBusy(true);
    setError(null);
    try {
      const r = await send<RosterPreviewReply>('preview', f, m, fix);
      if (r.ok) {
        setPreview(r.preview);
        setMapping(r.preview.mapping);
      } else {
        setPreview(null);
        setError(r.message);
      }
    } catch (e) {
      setError(`could not reach the Muster server: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0] ?? null;
    setFile(f);
    setPreview(null);
    setError(null);
    setDone('');
    setSkipErrors(false);
    setFixIds(false);
    setMapping({});
    if (!f) return;
    setName(rosterName(f.name));
    if (f.size > ROSTER_LIMITS.fileBytes)
      return setError(
        `the file is ${(f.size / 1024 / 1024).toFixed(1)} MB; a roster file can be at most ${ROSTER_LIMITS.fileBytes / 1024 / 1024} MB`,
      );
    void load(f, {}, false);
  };

  const remap = (field: RosterField, value: string) => {
    const m = { ...mapping, [field]: value === '' ? null : Number(value) };
    setMapping(m);
    if (file) void load(file, m);
  };

  const run = async () => {
    if (!file || !preview) return;
    setBusy(true);
    setError(null);
    try {
      const r = await send<RosterImportReply>(
        'import',
        file,
        mapping,
        fixIds,
        skipErrors ? '&skipErrors=1' : '',
      );
      if (r.ok) {
        setDone(
          `Imported ${r.imported} ${r.imported === 1 ? 'trainee' : 'trainees'} into the roster “${r.roster.name}”${r.skipped ? `; ${r.skipped} ${r.skipped === 1 ? 'row' : 'rows'} with errors left out` : ''}.`,
        );
        setFile(null);
        setPreview(null);
      } else {
        setError(r.message);
        if (r.preview) setPreview(r.preview);
      }
    } catch (e) {
      setError(`could not reach the Muster server: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const errorLines = preview ? new Set(preview.errors.map((e) => e.line)).size : 0;
  const canImport =
    !!preview && preview.rows.length > 0 && (preview.errors.length === 0 || skipErrors);

  return (
    <div className="roster-import">
      <p className="roster-current">
        {roster ? (
          <>
            Roster{live ? '' : ' for the next class'}: <strong>{roster.name}</strong> (
            {roster.entries} {roster.entries === 1 ? 'trainee' : 'trainees'}). Anyone else who joins
            is marked “walk-in”.
          </>
        ) : (
          <span className="muted">
            No roster{live ? ' for this class' : ' yet'}: trainees are not checked against one.
          </span>
        )}
      </p>
      <label>
        Import roster{' '}
        <input
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          disabled={busy}
          onChange={choose}
        />
      </label>
      {preview && (
        <>
          <label>
            Roster name{' '}
            <input
              type="text"
              value={name}
              maxLength={ROSTER_LIMITS.rosterNameChars}
              disabled={busy}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <fieldset className="roster-mapping" disabled={busy}>
            <legend>Columns</legend>
            {ROSTER_FIELDS.map((f) => (
              <label key={f}>
                {ROSTER_FIELD_LABELS[f]}{' '}
                <select value={mapping[f] ?? ''} onChange={(e) => remap(f, e.target.value)}>
                  <option value="">— not in the file —</option>
                  {preview.columns.map((c, i) => (
                    <option key={i} value={i}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
          {(preview.warnings.length > 0 || preview.idFixes.length > 0) && (
            <div className="roster-warnings" role="status">
              {preview.warnings.map((w, i) => (
                <p key={i}>{w}</p>
              ))}
              {preview.idFixes.length > 0 && (
                <label>
                  <input
                    type="checkbox"
                    checked={fixIds}
                    disabled={busy}
                    onChange={(e) => {
                      setFixIds(e.target.checked);
                      if (file) void load(file, mapping, e.target.checked);
                    }}
                  />{' '}
                  Add the leading zeros back:{' '}
                  {preview.idFixes
                    .slice(0, 5)
                    .map((f) => `${f.from} → ${f.to}`)
                    .join(', ')}
                  {preview.idFixes.length > 5 ? ` and ${preview.idFixes.length - 5} more` : ''}
                </label>
              )}
            </div>
          )}
          {preview.errors.length > 0 && (
            <div className="roster-errors" role="alert">
              <p>
                {preview.rows.length === 0
                  ? 'Nothing can be imported:'
                  : `${errorLines} ${errorLines === 1 ? 'row has' : 'rows have'} problems:`}
              </p>
              <ul>
                {preview.errors.slice(0, 100).map((e, i) => (
                  <li key={i}>
                    Line {e.line}: {e.message}
                  </li>
                ))}
                {preview.errors.length > 100 && <li>… and {preview.errors.length - 100} more</li>}
              </ul>
            </div>
          )}
          {preview.rows.length > 0 && (
            <table className="roster-preview">
              <caption>
                {preview.rows.length} of {preview.total} {preview.total === 1 ? 'row' : 'rows'}{' '}
                ready to import
                {preview.rows.length > SHOWN ? ` (first ${SHOWN} shown)` : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Name</th>
                  <th scope="col">Officer ID</th>
                  <th scope="col">Agency</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.slice(0, SHOWN).map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{r.name}</td>
                    <td>{r.officerId}</td>
                    <td>{r.agency}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {preview.errors.length > 0 && preview.rows.length > 0 && (
            <label>
              <input
                type="checkbox"
                checked={skipErrors}
                disabled={busy}
                onChange={(e) => setSkipErrors(e.target.checked)}
              />{' '}
              Import the {preview.rows.length} valid {preview.rows.length === 1 ? 'row' : 'rows'}{' '}
              and leave out the rest
            </label>
          )}
          <button className="primary" onClick={() => void run()} disabled={busy || !canImport}>
            Import roster ({preview.rows.length}{' '}
            {preview.rows.length === 1 ? 'trainee' : 'trainees'})
          </button>
          {live && roster && (
            <p className="muted">Importing replaces this class’s roster “{roster.name}”.</p>
          )}
        </>
      )}
      <p className="roster-status" aria-live="polite">
        {busy ? 'Reading the file…' : done}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A roster name from a file name: "class_24-03.xlsx" → "class 24-03". */
export function rosterName(fileName: string): string {
  return (
    fileName
      .replace(/\.(csv|xlsx|txt)$/i, '')
      .replace(/_+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, ROSTER_LIMITS.rosterNameChars) || 'Roster'
  );
}
