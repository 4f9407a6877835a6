/**
 * The pusher's thread (started by push-runner.ts): runs one {@link Pusher} with the file and URL it
 * was started with, passing its events to the main thread and the main thread's word (the class
 * is busy or free, the epoch moved, stop) to it.
 *
 * Built by scripts/build.mjs into out/main/push-worker.mjs; run from source through tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Pusher } from './pusher';
import type { PusherEvent, PusherOptions } from './pusher';

/** What the main thread tells the pusher. */
export type PusherCommand =
  { t: 'busy'; busy: boolean } | { t: 'poke' } | { t: 'epochMoved' } | { t: 'stop' };

const pusher = new Pusher(workerData as PusherOptions, (e: PusherEvent) =>
  parentPort!.postMessage(e),
);
parentPort!.on('message', (m: PusherCommand) => {
  if (m.t === 'busy') pusher.setBusy(m.busy);
  else if (m.t === 'poke') pusher.poke();
  else if (m.t === 'epochMoved') pusher.epochMoved();
  else if (m.t === 'stop') void pusher.stop().then(() => process.exit(0));
});
pusher.run().catch((e: unknown) => {
  parentPort!.postMessage({
    t: 'status',
    status: {
      state: 'unreachable',
      waiting: 0,
      lastSyncAt: null,
      error: `the pusher stopped: ${String(e)}`,
      retryInMs: null,
    },
  } satisfies PusherEvent);
});
