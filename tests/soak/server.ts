/**
 * The classroom server for the soak, in its own process (so its memory is measured alone): the
 * real app, listening for phones on every address, with the heartbeat interval the soak asks
 * for. Prints one JSON line once ready, then runs until stdin closes or SIGTERM.
 */
import path from 'node:path';
import { createApp } from '../../main/app';
import { memorySettings } from '../../main/settings';
import { fileLog, installSafetyNet } from '../../main/log';

const [dataDir, heartbeatMs] = [process.argv[2], Number(process.argv[3] ?? 30_000)];
const log = fileLog(dataDir, { stderr: true });
installSafetyNet(log);
const app = await createApp(
  {
    dataDir,
    contentDir: path.resolve(import.meta.dirname, '../../content'),
    settings: memorySettings(),
    log,
    heartbeatMs,
  },
  { port: 0, lanHost: '0.0.0.0' },
);
process.stdout.write(
  `${JSON.stringify({ consolePort: app.consolePort, lanPort: app.lanPort, token: app.token, pid: process.pid })}\n`,
);
const stop = async () => {
  await app.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
