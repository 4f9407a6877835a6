/**
 * The loopback listener's requests: the console and projector pages, the instructor API (records,
 * roster and PDF import, attendance corrections, department and export profiles, the records
 * server link, deck previews) — every one of them behind the per-launch console token, except the
 * built assets and course images.
 */
import type http from 'node:http';
import { handleRecords } from './records-api';
import { handlePdfImport } from './import-api';
import { handleRoster } from './roster-api';
import {
  CORRECTIONS_PATH,
  handleAttendanceCorrection,
  handleAttendanceGet,
} from './attendance-api';
import { handleDepartmentGet, handleDepartmentPut } from './department-api';
import { handleProfilesPut } from './profiles-api';
import { serveCourseFile } from './course-files';
import { decode, fail, requestUrl } from './guard';
import { serveAsset, serveFile } from './static-files';
import { RECORDS_SERVER_PATH, handleRecordsServer } from './records-server-api';
import { securityHeaders } from './security-headers';
import { tokenMatches, tokenOf } from './console-token';
import type { ServerOptions } from './http';

/** The console listener's request handler; `loopbackHosts` are its own Host names, `page` a built page's file. */
export function consoleRoutes(
  o: ServerOptions,
  loopbackHosts: () => string[],
  page: (name: string) => string,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const { classroom, records, staticDir, token } = o;
  return (req, res) => {
    // Only our own host names: a page on another site that resolves to 127.0.0.1 gets nothing.
    if (!loopbackHosts().includes(req.headers.host ?? '')) return fail(res, 421, 'wrong host');
    const url = requestUrl(req.url);
    if (!url) return fail(res, 400, 'malformed request target');
    securityHeaders(res, `ws://${req.headers.host}`);
    const post = req.method === 'POST';
    if (post && url.pathname.startsWith('/api/import/pdf')) {
      if (!tokenMatches(tokenOf(req, url), token))
        return fail(res, 401, 'this needs the console token');
      if (!o.content) return fail(res, 404, 'not found');
      return handlePdfImport(req, res, url, { ...o.content, classroom });
    }
    if (post && (url.pathname === '/api/roster/preview' || url.pathname === '/api/roster/import')) {
      if (!tokenMatches(tokenOf(req, url), token))
        return fail(res, 401, 'this needs the console token');
      return handleRoster(req, res, url, { classroom, records });
    }
    // Attendance corrections and the department profile: small JSON bodies (attendance-api.ts, department-api.ts).
    const correction = post ? CORRECTIONS_PATH.exec(url.pathname) : null;
    const departmentPut = req.method === 'PUT' && url.pathname === '/api/department';
    const profilesPut = req.method === 'PUT' && url.pathname === '/api/export-profiles';
    if (correction || departmentPut || profilesPut) {
      if (!tokenMatches(tokenOf(req, url), token))
        return fail(res, 401, 'this needs the console token');
      if (correction)
        return handleAttendanceCorrection(req, res, correction[1], records, o.department);
      if (profilesPut)
        return o.exportProfiles
          ? handleProfilesPut(req, res, o.exportProfiles)
          : fail(res, 405, 'the export profiles cannot be changed here');
      if (!o.setDepartment) return fail(res, 405, 'the department profile cannot be changed here');
      return handleDepartmentPut(req, res, { get: () => o.department?.(), set: o.setDepartment });
    }
    if (url.pathname === RECORDS_SERVER_PATH) {
      if (!tokenMatches(tokenOf(req, url), token))
        return fail(res, 401, 'this needs the console token');
      return void handleRecordsServer(req, res, o.recordsServer);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method not allowed');
    const head = req.method === 'HEAD';
    if (url.pathname.startsWith('/assets/'))
      return serveAsset(req, res, staticDir, url.pathname, head, true);
    // Course images: <img> cannot send the token; only image files inside a loaded course folder.
    if (url.pathname.startsWith('/courses/'))
      return serveCourseFile(res, url.pathname, head, o.content?.courseDir);
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (!tokenMatches(tokenOf(req, url), token))
      return fail(
        res,
        401,
        'this page needs the console link that Muster printed (with its token)',
      );
    if (url.pathname === '/console/' || url.pathname === '/projector/')
      return serveFile(req, res, page(url.pathname.slice(1, -1)), head);
    if (url.pathname === '/console' || url.pathname === '/projector') {
      res.writeHead(302, { Location: `${url.pathname}/${url.search}` });
      return void res.end();
    }
    // Exports, sign-in sheet, trainee search and history, roster, weak spots: records-api.ts.
    if (
      handleRecords(url, res, head, {
        records,
        department: o.department,
        profiles: o.exportProfiles?.get,
      })
    )
      return;
    if (handleAttendanceGet(url, res, records)) return;
    if (url.pathname === '/api/department')
      return handleDepartmentGet(res, { get: () => o.department?.() });
    const deck = /^\/api\/decks\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (deck) {
      const course = decode(deck[1]);
      const file = decode(deck[2]);
      const preview = course !== null && file !== null ? classroom.deckPreview(course, file) : null;
      if (!preview) return fail(res, 404, 'no such deck');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify(preview));
    }
    if (url.pathname === '/api/sessions') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify(records.sessions()));
    }
    fail(res, 404, 'not found');
  };
}
