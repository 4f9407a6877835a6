/**
 * Roster import over HTTP, on the loopback listener (token checked by the caller):
 *
 *   POST /api/roster/preview?name=…[&mapping=…][&fixIds=1]            → { ok, preview } | { ok: false, message }
 *   POST /api/roster/import?name=…[&mapping=…][&fixIds=1][&skipErrors=1] → { ok, imported, skipped, roster, preview }
 *
 * The body is the file's bytes, `Content-Type` text/csv or the XLSX type. The column mapping is JSON
 * (see shared/roster.ts), in `?mapping=` or the `X-Roster-Mapping` header. The file is read in a
 * worker thread with size, time and memory limits (main/records/roster-file.ts); an import happens only
 * when the preview has no errors (or, with skipErrors, imports the valid rows and says which were
 * left out). On any failure nothing is imported.
 */
import type http from 'node:http';
import { readBody } from './body';
import { errorMessage, isMusterError } from '../../shared/errors';
import {
  importProblem,
  previewRoster,
  readRosterFile,
  rosterKind,
  tooLargeMessage,
} from '../records/roster';
import { zeroPaddedOnRecord } from '../records/roster-ids';
import type { Records } from '../records/db';
import { ROSTER_LIMITS, RosterMapping } from '../../shared/roster';
import type {
  RosterImportReply,
  RosterPreviewReply,
  RosterRow,
  RosterSummary,
} from '../../shared/roster';
import { describeZodError } from '../../shared/protocol';

export interface RosterContext {
  classroom: {
    importRoster(input: {
      name: string;
      rows: readonly RosterRow[];
      reason: string;
    }): Promise<RosterSummary>;
  };
  /** The records, to recognise an officer ID that lost its leading zeros ("417" for 00417 on record). */
  records?: Records;
}

const NOTHING = ' Nothing was imported.';

function reply(
  res: http.ServerResponse,
  status: number,
  body: RosterPreviewReply | RosterImportReply,
  close = false,
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(JSON.stringify(body));
}

const sentence = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s).replace(/[.;:]?$/, '.');

export async function handleRoster(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  ctx: RosterContext,
): Promise<void> {
  const importing = url.pathname === '/api/roster/import';
  const failed = (
    status: number,
    message: string,
    extra: { preview?: RosterPreviewReply & { ok: true } } = {},
    close = false,
  ) =>
    reply(
      res,
      status,
      {
        ok: false,
        message: sentence(message) + (importing ? NOTHING : ''),
        ...(extra.preview ? { preview: extra.preview.preview } : {}),
      },
      close,
    );
  const refuse = (status: number, message: string) => {
    // Do not read what the client still sends: answer and close the connection.
    failed(status, message, {}, true);
    res.once('finish', () => req.destroy());
  };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`)
    return refuse(403, 'wrong origin');
  const contentType = req.headers['content-type'] ?? '';

  // Parameters first, so a bad request is refused before the upload is read.
  const rawName = url.searchParams.get('name') ?? '';
  const name =
    rawName
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .trim()
      .slice(0, ROSTER_LIMITS.rosterNameChars) || 'Roster';
  let mapping: RosterMapping = {};
  const rawMapping = url.searchParams.get('mapping') ?? req.headers['x-roster-mapping']?.toString();
  if (rawMapping) {
    let json: unknown;
    try {
      json = JSON.parse(rawMapping);
    } catch {
      return refuse(400, 'the column mapping is not JSON, e.g. {"name":0,"officerId":2}');
    }
    const m = RosterMapping.safeParse(json);
    if (!m.success) return refuse(400, `column mapping: ${describeZodError(m.error)}`);
    mapping = m.data;
  }
  const skipErrors = url.searchParams.get('skipErrors') === '1';
  // Officer IDs get leading zeros back only when the clerk confirmed the preview's proposal.
  const fixIds = url.searchParams.get('fixIds') === '1';

  let body: Buffer;
  try {
    body = await readBody(req, ROSTER_LIMITS.fileBytes);
  } catch (e) {
    if (isMusterError(e, 'body-too-large'))
      return refuse(e.status, tooLargeMessage(Number(req.headers['content-length'] ?? NaN)));
    req.destroy();
    return;
  }
  const kind = rosterKind(body, contentType.toString());
  if (!kind.ok) return failed(415, kind.message);
  const read = await readRosterFile(body, kind.kind);
  if (!read.ok) return failed(400, read.message);
  const preview = previewRoster(read, mapping, {
    onRecord: ctx.records ? zeroPaddedOnRecord(ctx.records) : undefined,
    fixIds,
  });
  if (!importing) return reply(res, 200, { ok: true, preview });

  const problem = importProblem(preview, skipErrors);
  if (problem) return failed(422, problem, { preview: { ok: true, preview } });
  const skippedLines = [...new Set(preview.errors.map((e) => e.line))];
  const reason =
    skippedLines.length > 0
      ? `Roster file imported; ${skippedLines.length} ${skippedLines.length === 1 ? 'row' : 'rows'} with errors left out (line ${skippedLines.slice(0, 20).join(', ')}${skippedLines.length > 20 ? ', …' : ''})`
      : 'Roster file imported';
  const fixedNote = preview.idFixesApplied
    ? `; leading zeros added to ${preview.idFixes.length} officer ${preview.idFixes.length === 1 ? 'ID' : 'IDs'} as confirmed (${preview.idFixes
        .slice(0, 10)
        .map((f) => `${f.from} → ${f.to}`)
        .join(', ')}${preview.idFixes.length > 10 ? ', …' : ''})`
    : '';
  let roster: RosterSummary;
  try {
    roster = await ctx.classroom.importRoster({
      name,
      rows: preview.rows,
      reason: reason + fixedNote,
    });
  } catch (e) {
    return failed(500, `could not store the roster: ${errorMessage(e)}`);
  }
  reply(res, 200, {
    ok: true,
    imported: preview.rows.length,
    skipped: skippedLines.length,
    roster,
    preview,
  });
}
