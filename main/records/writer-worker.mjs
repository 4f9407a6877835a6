// The records' writer thread: writes batches of the commit queue on a connection of its own, so
// the fsync of a commit (most of its time) never blocks the main thread's event loop.
//
// Input (workerData): { file, sql: { name: text }, busyTimeoutMs, fullfsync, signal: Int32Array
// over a SharedArrayBuffer, port: MessagePort }.
// Messages on `port`: { id, steps: JSON of [name or [name…], params][], texts: string[] }
// (params: named, or the place in `texts` of the one JSON text of a run of rows) → one transaction
// (synchronous = FULL, so fsync'd before the reply): { id, ok: true } | { id, ok: false, code,
// message } (nothing stored);
// { busyTimeoutMs } sets the lock wait; { close: true } closes the file and replies { closed: true }.
// After each reply `signal[0]` is incremented and notified, so the main thread can also wait for a
// reply without its event loop (Atomics.wait + receiveMessageOnPort: main/records/writer.ts).
//
// Plain JavaScript (no TypeScript) so the same file runs from source in tests and, copied next to
// the bundles by scripts/build.mjs, from out/main/.
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const { file, sql, busyTimeoutMs, fullfsync, signal, port } = workerData;
const db = new Database(file);
// The same settings as the main connection (db.ts): a commit is on the disk before it is answered.
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma(`busy_timeout = ${Number(busyTimeoutMs)}`);
if (fullfsync) db.pragma('fullfsync = ON');
const statements = new Map(Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]));
const write = db.transaction((steps) => {
  for (const [names, params] of steps)
    if (typeof names === 'string') statements.get(names).run(params);
    else for (const name of names) statements.get(name).run(params);
});

function reply(m) {
  port.postMessage(m);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on('message', (m) => {
  if (m.close) {
    db.close();
    reply({ closed: true });
    port.close();
    return;
  }
  if (m.busyTimeoutMs !== undefined) {
    db.pragma(`busy_timeout = ${Number(m.busyTimeoutMs)}`);
    return;
  }
  try {
    const steps = JSON.parse(m.steps);
    for (const step of steps) if (typeof step[1] === 'number') step[1] = m.texts[step[1]];
    write(steps);
    reply({ id: m.id, ok: true });
  } catch (e) {
    reply({ id: m.id, ok: false, code: String(e?.code ?? ''), message: String(e?.message ?? e) });
  }
});

reply({ ready: true });
