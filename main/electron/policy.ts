/**
 * The shell's security and placement decisions as pure functions: no `electron` import, so the
 * unit tests run them in plain Node (tests/unit/electron-security.test.ts). The Electron-facing
 * files (security.ts, ipc.ts, windows.ts) only wire these to events.
 */
import { z } from 'zod';

function parseUrl(value: string, base?: string): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}

/**
 * True when `url` is on the app's own loopback origin (`http://127.0.0.1:PORT`), the only place
 * a Muster window may show. Credentials in the URL are refused: they are never ours.
 */
export function isAppUrl(url: string, consoleOrigin: string): boolean {
  const u = parseUrl(url);
  const origin = parseUrl(consoleOrigin);
  if (!u || !origin || origin.protocol !== 'http:') return false;
  return u.origin === origin.origin && u.username === '' && u.password === '';
}

/** True for the console page itself: the only page the bridge answers. */
export function isConsolePage(url: string, consoleOrigin: string): boolean {
  return isAppUrl(url, consoleOrigin) && new URL(url).pathname === '/console/';
}

/** Only `https:` links with a host and no credentials may leave the app for the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  const u = parseUrl(url);
  return (
    !!u && u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === ''
  );
}

/** Who sent an IPC call, as far as the handler needs to know. */
export interface IpcSender {
  /** The sender's webContents is the console window's. */
  fromConsoleWindow: boolean;
  /** The sending frame is that window's top frame (not an iframe). */
  isMainFrame: boolean;
  /** The sending frame's URL; absent when the frame is gone. */
  frameUrl: string | undefined;
}

/** The bridge answers only the console page, in the console window's top frame, on our origin. */
export function isTrustedSender(s: IpcSender, consoleOrigin: string): boolean {
  return (
    s.fromConsoleWindow &&
    s.isMainFrame &&
    s.frameUrl !== undefined &&
    isConsolePage(s.frameUrl, consoleOrigin)
  );
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const urlArg = z.string().min(1).max(2048);

/**
 * `openProjector(projectorUrl)`: the page may only ask for our projector page. The caller then
 * loads the URL the main process built itself, so a page can never choose what the window shows.
 */
export function checkOpenProjectorArgs(args: unknown[], consoleOrigin: string): Checked<null> {
  const parsed = z.tuple([urlArg]).safeParse(args);
  if (!parsed.success) return { ok: false, error: 'openProjector expects one URL' };
  const u = parseUrl(parsed.data[0], consoleOrigin);
  if (!u || !isAppUrl(u.href, consoleOrigin) || u.pathname !== '/projector/')
    return { ok: false, error: 'openProjector accepts only the projector page' };
  return { ok: true, value: null };
}

/** Characters no file system we ship to accepts in a name, plus control characters. */
// eslint-disable-next-line no-control-regex
const BAD_NAME_CHARS = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;

/**
 * A suggested file name made safe for a save dialog: no folders, no reserved characters, no
 * leading dots (hidden files), at most 120 characters; never empty.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(BAD_NAME_CHARS, '_')
    .slice(0, 120)
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  return cleaned === '' ? 'muster-export' : cleaned;
}

export interface SaveFileRequest {
  /** Absolute same-origin URL to fetch, without the token (it goes in a header). */
  url: string;
  suggestedName: string;
}

/**
 * `saveFile(url, suggestedName)`: the URL must be a same-origin `/api/…` path (relative or
 * absolute). The token is dropped from the query string; the download sends it as a header.
 */
export function checkSaveFileArgs(
  args: unknown[],
  consoleOrigin: string,
): Checked<SaveFileRequest> {
  const parsed = z.tuple([urlArg, z.string().max(255)]).safeParse(args);
  if (!parsed.success) return { ok: false, error: 'saveFile expects a URL and a file name' };
  const [raw, name] = parsed.data;
  // Resolved URLs have `..` and `%2e%2e` segments folded away, so the prefix check is on the real path.
  const u = parseUrl(raw, consoleOrigin);
  if (!u || !isAppUrl(u.href, consoleOrigin) || !u.pathname.startsWith('/api/'))
    return { ok: false, error: 'saveFile accepts only files from this app’s /api/' };
  u.searchParams.delete('token');
  u.hash = '';
  return { ok: true, value: { url: u.href, suggestedName: safeFileName(name) } };
}

/** Save-dialog filters from the file's extension (the exports are workbooks and CSV files). */
export function saveDialogFilters(fileName: string): { name: string; extensions: string[] }[] {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase();
  const known: Record<string, string> = {
    xlsx: 'Excel workbook',
    csv: 'CSV file',
    json: 'JSON file',
    pdf: 'PDF document',
  };
  const all = { name: 'All files', extensions: ['*'] };
  return ext && known[ext] ? [{ name: known[ext], extensions: [ext] }, all] : [all];
}

/** The part of a display that placement needs (Electron's `Display` has it). */
export interface DisplayInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

export interface ProjectorPlacement {
  display: DisplayInfo;
  /** On an external display: full screen there. On the primary: a normal window, so the console stays usable. */
  external: boolean;
}

/**
 * Where the projector window goes: the saved display if it is attached and external, else the
 * first external display, else the primary one. `null` only when no display is known at all.
 */
export function chooseProjectorDisplay(
  displays: readonly DisplayInfo[],
  primaryId: number,
  savedId: number | undefined,
): ProjectorPlacement | null {
  const external = displays.filter((d) => d.id !== primaryId);
  const saved = external.find((d) => d.id === savedId);
  if (saved) return { display: saved, external: true };
  if (external[0]) return { display: external[0], external: true };
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0];
  return primary ? { display: primary, external: false } : null;
}

type Rect = DisplayInfo['bounds'];

/** A window of at most `width`×`height`, centred on `area` and never larger than it. */
export function centredBounds(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  const x = area.x + Math.round((area.width - w) / 2);
  const y = area.y + Math.round((area.height - h) / 2);
  return { x, y, width: w, height: h };
}

// Settings are checked where they are defined (main/settings.ts), for both stores.
export { settingValue } from '../settings';
