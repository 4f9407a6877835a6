/**
 * The export runner (main/records/export-runner.ts) alone, with stand-in worker scripts: the time
 * limit, a thread that crashes, the queue. No timing thresholds: only orders of events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportRunner } from '../../main/records/export-runner';

describe('the export runner', () => {
  // Stand-ins for export-worker: they speak its protocol ({ id, file, job } in; { id, outcome } out).
  const scripts = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-export-runner-'));
  const fake = path.join(scripts, 'fake-worker.mjs');
  fs.writeFileSync(
    fake,
    `import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, job }) => {
  if (job.sheet === 'hang') return;
  if (job.sheet === 'crash') throw new Error('boom');
  if (job.sheet === 'throw') return parentPort.postMessage({ id, error: 'Error: it threw' });
  if (job.sheet === 'odd') return parentPort.postMessage({ id, outcome: { ok: 'yes' } });
  parentPort.postMessage({ id, outcome: { ok: true, body: new TextEncoder().encode(job.sheet) } });
});
`,
  );
  afterAll(() => fs.rmSync(scripts, { recursive: true, force: true }));
  const job = (sheet: string) => ({ kind: 'session-csv' as const, sessionId: 's', sheet });
  const text = async (p: Promise<unknown>) => {
    const out = (await p) as { ok: true; body: Uint8Array };
    return new TextDecoder().decode(out.body);
  };

  it('stops an export past its time limit, and the next one gets a fresh thread', async () => {
    const runner = new ExportRunner({ workerSource: fake });
    try {
      await expect(runner.run('/x.sqlite', job('hang'), {}, { timeoutMs: 300 })).rejects.toThrow(
        /session-csv: took longer than 0.3 s and was stopped/,
      );
      expect(runner.state.thread).toBe(false);
      expect(await text(runner.run('/x.sqlite', job('after'), {}))).toBe('after');
    } finally {
      await runner.close();
    }
  });

  it('fails only the export whose thread crashed, threw or answered nonsense', async () => {
    const runner = new ExportRunner({ workerSource: fake });
    try {
      await expect(runner.run('/x.sqlite', job('crash'), {})).rejects.toMatchObject({
        name: 'MusterError',
        code: 'export-failed',
        status: 500,
      });
      await expect(runner.run('/x.sqlite', job('throw'), {})).rejects.toThrow(
        /session-csv: Error: it threw/,
      );
      await expect(runner.run('/x.sqlite', job('odd'), {})).rejects.toThrow(/not this export/);
      expect(await text(runner.run('/x.sqlite', job('fine'), {}))).toBe('fine');
      await expect(runner.run(':memory:', job('x'), {})).rejects.toThrow(/in-memory/);
    } finally {
      await runner.close();
    }
  });

  it('runs one export at a time, queues a few, refuses more, and keeps the order', async () => {
    const runner = new ExportRunner({ workerSource: fake, maxWaiting: 2 });
    try {
      const hang = expect(runner.run('/x.sqlite', job('hang'), {})).rejects.toThrow(
        /the exports were stopped/,
      );
      const queued = ['a', 'b'].map((s) =>
        expect(runner.run('/x.sqlite', job(s), {})).rejects.toThrow(/the exports were stopped/),
      );
      await expect(runner.run('/x.sqlite', job('c'), {})).rejects.toMatchObject({
        name: 'MusterError',
        code: 'export-busy',
        status: 503,
      });
      expect(runner.state).toEqual({ thread: true, running: true, waiting: 2 });
      await runner.close();
      await hang;
      await Promise.all(queued);
      expect(runner.state).toEqual({ thread: false, running: false, waiting: 0 });
      // A new runner: the queue drains in order.
      const again = new ExportRunner({ workerSource: fake });
      const all = await Promise.all(
        ['1', '2', '3'].map((s) => text(again.run('/x.sqlite', job(s), {}))),
      );
      expect(all).toEqual(['1', '2', '3']);
      await sleep(0);
      await again.close();
    } finally {
      await runner.close();
    }
  });
});
