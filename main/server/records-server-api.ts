/**
 * The console's link to the academy records server, on the loopback listener (token checked by
 * http.ts before this runs):
 *
 *   GET    /api/records-server   → RecordsServerSetup (enrolled?, where, how the pushing goes)
 *   PUT    /api/records-server   {url} (the line `muster records-server enrol` printed) → RecordsServerSetup
 *   DELETE /api/records-server   forgets the credential; the records stay here → RecordsServerSetup
 *
 * The credential goes to the keychain (desktop app) or an owner-only file (browser mode) and is
 * never sent back: the page sees the host and the login only.
 */
import type http from 'node:http';
import type { RecordsServerLink } from '../records/push/link';
import { RecordsServerEnrolment } from '../../shared/records-server';
import { describeZodError } from '../../shared/protocol';
import { readJsonBody, replyJson } from './attendance-api';
import { errorMessage } from '../../shared/errors';

export const RECORDS_SERVER_PATH = '/api/records-server';

/** Handles the route; false when it is not this one (http.ts goes on). */
export function handleRecordsServer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  link: RecordsServerLink | undefined,
): boolean {
  if (!link) {
    replyJson(res, 404, { ok: false, message: 'no records server link here' });
    return true;
  }
  const done = () => replyJson(res, 200, link.setup());
  const failed = (e: unknown) =>
    replyJson(res, 500, {
      ok: false,
      message: `could not store the credential: ${errorMessage(e)}`,
    });
  if (req.method === 'GET' || req.method === 'HEAD') return (done(), true);
  if (req.method === 'DELETE') return (void link.configure(undefined).then(done, failed), true);
  if (req.method !== 'PUT')
    return (replyJson(res, 405, { ok: false, message: 'GET, PUT or DELETE' }), true);
  void readJsonBody(req, res, 4096).then(async (body) => {
    if (!body) return;
    const parsed = RecordsServerEnrolment.safeParse(body.value);
    if (!parsed.success)
      return replyJson(res, 400, { ok: false, message: describeZodError(parsed.error) });
    await link.configure(parsed.data.url).then(done, failed);
  });
  return true;
}
