/**
 * Composition root: wires content, records, the classroom and the server. Used by the Electron
 * shell (main/electron) and the CLI (browser mode) alike.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Problem } from './content/load';
import { loadContentOffThread } from './content/content-thread';
import { Records } from './records/db';
import { Classroom } from './server/classroom';
import { startServer } from './server/http';
import { cachedLanAddresses } from './server/network';
import type { Settings } from './settings';
import { fileCredential } from './records/push/credential';
import type { RecordsCredential } from './records/push/credential';
import { RecordsServerLink } from './records/push/link';
import type { RecordsServerStatus } from '../shared/records-server';
import type { Deck } from '../shared/course';
import { fileLog } from './log';
import type { Log } from './log';
import { packageRoot } from './package-root';

export { packageRoot };

export interface AppOptions {
  dataDir: string;
  contentDir: string;
  settings: Settings;
  /** Folder holding the built pages; defaults to out/renderer next to the package. */
  staticDir?: string;
  /** Where the app logs (default: `<dataDir>/logs/muster.log` and stderr). */
  log?: Log;
  /** Socket heartbeat interval (default 30 s); tests and the soak run it faster. */
  heartbeatMs?: number;
  /** How long after a trainee's phone left a new phone with their officer ID needs the instructor (default 30 min). */
  claimWindowMs?: number;
  /** Open sockets one address may hold on the room's listener (default 16; loopback is not capped). */
  socketsPerAddress?: number;
  /** Where the records server credential is kept: the keychain (Electron) or, by default, an owner-only file in dataDir. */
  recordsCredential?: RecordsCredential;
}

export interface ListenOptions {
  /** The LAN port trainees use (0: a free one). */
  port?: number;
  consolePort?: number;
  /** Address the LAN listener binds to; tests bind to 127.0.0.1. */
  lanHost?: string;
}

export interface AppUrls {
  console: string;
  projector: string;
  join: string;
  roomCode: string;
}

export interface MusterApp {
  urls(): AppUrls;
  token: string;
  classroom: Classroom;
  records: Records;
  /** The link to the academy records server (pushes while enrolled). */
  recordsServer: RecordsServerLink;
  contentProblems: Problem[];
  /** Where imported decks are saved (`<dataDir>/courses`); loaded besides the content folder. */
  coursesDir: string;
  /** Loads the content folder and the imported courses again (after an import). */
  reloadContent(): Promise<void>;
  consolePort: number;
  lanPort: number;
  stop(): Promise<void>;
}

export async function createApp(o: AppOptions, listen: ListenOptions = {}): Promise<MusterApp> {
  const staticDir = o.staticDir ?? path.join(packageRoot(), 'out', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'trainee', 'index.html')))
    throw new Error(`the pages are not built (${staticDir}); run \`npm run build\` first`);
  fs.mkdirSync(o.dataDir, { recursive: true });
  const coursesDir = path.join(o.dataDir, 'courses');
  // Off the main thread (content-thread.ts): the parsing garbage never joins the server's heap.
  let content = await loadContentOffThread(o.contentDir, coursesDir);
  let decks: Deck[] = content.courses.flatMap((c) => c.decks);
  const reloadContent = async () => {
    content = await loadContentOffThread(o.contentDir, coursesDir);
    decks = content.courses.flatMap((c) => c.decks);
  };
  const log = o.log ?? fileLog(o.dataDir);
  const records = new Records(path.join(o.dataDir, 'muster.sqlite'), log);
  const token = crypto.randomBytes(24).toString('base64url');
  let lanPort = 0;
  const hosts = cachedLanAddresses();
  const saved = o.settings.get('joinHost');
  const classroom = new Classroom({
    records,
    decks: () => decks,
    lanPort: () => lanPort,
    hosts,
    joinHost: saved && hosts().includes(saved) ? saved : hosts()[0],
    onJoinHost: (h) => o.settings.set('joinHost', h),
    theme: o.settings.get('projectorTheme'),
    onTheme: (t) => o.settings.set('projectorTheme', t),
    profanityFilter: o.settings.get('profanityFilter'),
    onProfanityFilter: (on) => o.settings.set('profanityFilter', on),
    claimWindowMs: o.claimWindowMs,
    log,
    recordsServerStatus: (): RecordsServerStatus | undefined => recordsServer.status(),
  });
  // The pusher never sends while a question, vote or self-paced test is open: the class comes first.
  const isBusy = (): boolean => {
    const e = classroom.engine;
    return (
      e.session?.phase === 'question' || (e.assessment !== null && e.assessment.closedAt === null)
    );
  };
  const recordsServer = new RecordsServerLink({
    records,
    credential: o.recordsCredential ?? fileCredential(o.dataDir),
    isBusy,
    onChange: () => classroom.markViews(),
  });
  let server;
  try {
    server = await startServer({
      classroom,
      records,
      staticDir,
      token,
      consolePort: listen.consolePort ?? 0,
      lanPort: listen.port ?? o.settings.get('lanPort') ?? 0,
      lanHost: listen.lanHost,
      hosts,
      heartbeatMs: o.heartbeatMs,
      socketsPerAddress: o.socketsPerAddress,
      log,
      department: () => o.settings.get('department'),
      setDepartment: (d) => o.settings.set('department', d),
      exportProfiles: {
        get: () => o.settings.get('exportProfiles'),
        set: (p) => o.settings.set('exportProfiles', p),
      },
      recordsServer,
      content: {
        coursesDir,
        courseDir: (id) => content.courses.find((c) => c.course.id === id)?.dir,
        courseIds: () => content.courses.map((c) => c.course.id),
        reloadContent,
      },
    });
  } catch (e) {
    records.close();
    throw e;
  }
  lanPort = server.lanPort;
  await classroom.refreshQr();
  recordsServer.start();
  const base = `http://127.0.0.1:${server.consolePort}`;
  return {
    token,
    classroom,
    records,
    recordsServer,
    get contentProblems() {
      return content.problems;
    },
    coursesDir,
    reloadContent,
    consolePort: server.consolePort,
    lanPort,
    urls: () => ({
      console: `${base}/console/?token=${token}`,
      projector: `${base}/projector/?token=${token}`,
      join: classroom.joinUrl(),
      roomCode: classroom.engine.live()?.roomCode ?? '',
    }),
    async stop() {
      // Sockets first: closing them records who left; the classroom then writes that, then the file closes.
      await server.close();
      classroom.close();
      await recordsServer.stop();
      records.close();
    },
  };
}
