/**
 * The app's log: one line per event, to stderr and to `<dataDir>/logs/muster.log` (kept under
 * 5 MB: the file rolls over to muster.log.1). What went wrong in a class can be read afterwards
 * without a terminal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { errorDetail } from '../shared/errors';

export type Log = (message: string, error?: unknown) => void;

const MAX_BYTES = 5 * 1024 * 1024;

export function fileLog(dataDir: string, opts: { stderr?: boolean } = {}): Log {
  const dir = path.join(dataDir, 'logs');
  const file = path.join(dir, 'muster.log');
  let size = -1;
  return (message, error) => {
    const detail = error === undefined ? '' : ` — ${errorDetail(error)}`;
    const line = `${new Date().toISOString()} ${message}${detail}\n`;
    if (opts.stderr !== false) process.stderr.write(`[muster] ${message}${detail}\n`);
    try {
      if (size < 0) {
        fs.mkdirSync(dir, { recursive: true });
        size = fs.existsSync(file) ? fs.statSync(file).size : 0;
      }
      if (size > MAX_BYTES) {
        fs.renameSync(file, `${file}.1`);
        size = 0;
      }
      fs.appendFileSync(file, line);
      size += Buffer.byteLength(line);
    } catch {
      // A log that cannot be written must not take anything else down.
    }
  };
}

/**
 * The last line of defence: an exception or a rejected promise that nothing caught is logged and
 * the class goes on. Every request and message handler has its own boundary already; this is for
 * timers and callbacks outside them. (Ending the process would end the class for the whole room,
 * while the session's state is all committed records plus the room's presentation, which a stray
 * exception in a callback does not corrupt.)
 */
export function installSafetyNet(log: Log): () => void {
  const onException = (e: unknown) => log('an uncaught exception was caught; Muster carries on', e);
  const onRejection = (e: unknown) =>
    log('an unhandled promise rejection was caught; Muster carries on', e);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
