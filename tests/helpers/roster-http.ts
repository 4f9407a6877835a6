/**
 * Roster import over HTTP for tests: a poster of roster files to the console's preview and import
 * endpoints, a two-officer roster, and the latest console view.
 */
import type { TestApp } from './app';
import type { openConsole } from './clients';
import type { ConsoleView } from '../../shared/protocol';
import type { RosterImportReply, RosterPreviewReply } from '../../shared/roster';

/** Posts a roster file to `/api/roster/preview|import` of `app()` (with its token unless told). */
export function rosterPoster(app: () => TestApp) {
  return async function post(
    what: 'preview' | 'import',
    body: Buffer | string,
    opts: {
      type?: string;
      query?: string;
      token?: string | null;
      headers?: Record<string, string>;
    } = {},
  ) {
    const res = await fetch(
      `${app().consoleBase}/api/roster/${what}?${opts.query ?? 'name=Class%2024-03'}`,
      {
        method: 'POST',
        headers: {
          'Content-Type': opts.type ?? 'text/csv',
          ...(opts.token === null ? {} : { 'X-Muster-Token': opts.token ?? app().token }),
          ...opts.headers,
        },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      },
    );
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* plain text */
    }
    return { status: res.status, text, json: json as RosterImportReply & RosterPreviewReply };
  };
}

export const ROSTER =
  'Last Name,First Name,Officer ID,Agency\nOrtiz,Ana,00417,Austin PD\nLee,Ben,B-22,Travis SO\n';
/** The first console view matching `pred` among those that arrived after message number `since`. */
export const latest = async (
  con: Awaited<ReturnType<typeof openConsole>>,
  pred: (v: ConsoleView) => boolean,
  since = 0,
) =>
  (await con.next(
    (m) => m.t === 'console' && pred(m as unknown as ConsoleView),
    5000,
    since,
  )) as unknown as ConsoleView;
