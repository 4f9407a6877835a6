// The room's listener is open to every device on the Wi-Fi: its socket must be this computer's own
// (no DNS rebinding), one address cannot hold the server's sockets hostage, and the code is served
// without its sources.
import os from 'node:os';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app';
import { openConsole } from '../helpers/clients';
import type { TestApp } from '../helpers/app';
import { AddressCap, SOCKETS_PER_ADDRESS } from '../../main/server/sockets';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ lanHost: '0.0.0.0' });
});
afterAll(async () => {
  await app.stop();
});

/** Opens a trainee socket with the given headers; resolves with 'open' or the HTTP status of the refusal. */
function attempt(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ result: string; ws: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ result: 'open', ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ result: String(res.statusCode), ws }));
    ws.once('error', (e) => resolve({ result: `error ${e.message}`, ws }));
  });
}

describe('the room listener', () => {
  it('accepts its own Host and Origin, refuses another site’s (DNS rebinding) and a foreign Host', async () => {
    const url = `ws://127.0.0.1:${app.lanPort}/ws/trainee`;
    const own = `127.0.0.1:${app.lanPort}`;
    const ok = await attempt(url, { Origin: `http://${own}` });
    expect(ok.result).toBe('open');
    ok.ws.close();
    // A page at evil.example whose name now resolves to this laptop: its Host and Origin are its own.
    expect(
      (
        await attempt(url, {
          Host: `evil.example:${app.lanPort}`,
          Origin: `http://evil.example:${app.lanPort}`,
        })
      ).result,
    ).toBe('403');
    expect((await attempt(url, { Origin: 'http://evil.example' })).result).toBe('403');
    expect((await attempt(url, { Host: 'evil.example' })).result).toBe('403');
    expect((await attempt(`ws://127.0.0.1:${app.lanPort}/ws/other`)).result).toBe('403');
  });

  it('the writer thread comes up with a class, started or resumed, and not for a phone before it', async () => {
    const upWithin = async (a: TestApp) => {
      const limit = Date.now() + 10_000;
      while (!a.records.writerUp && Date.now() < limit) await new Promise((r) => setTimeout(r, 10));
      return a.records.writerUp;
    };
    const first = await startTestApp();
    const dataDir = first.dataDir;
    try {
      // A phone that opens the join page and connects before the class can write nothing: an
      // idle server still holds no writer thread.
      expect((await fetch(`${first.lanUrl}/join/`)).status).toBe(200);
      const early = await attempt(`ws://127.0.0.1:${first.lanPort}/ws/trainee`);
      expect(early.result).toBe('open');
      await new Promise((r) => setTimeout(r, 300));
      expect(first.records.writerUp).toBe(false);
      early.ws.close();
      const con = await openConsole(first.consoleBase, first.token);
      const r = await con.cmd({
        type: 'startSession',
        deck: { course: 'human-trafficking', file: '01-understanding.md' },
      });
      expect(r.ok).toBe(true);
      expect(await upWithin(first)).toBe(true);
      await con.close();
    } finally {
      await first.stop();
    }
    // The app stopped mid-class: started again, it picks the class up and the thread with it.
    const again = await startTestApp({ dataDir });
    try {
      expect(again.classroom.engine.session).not.toBeNull();
      expect(await upWithin(again)).toBe(true);
    } finally {
      await again.stop();
    }
  });

  it('serves the page’s code but not its source maps; the instructor’s own listener has them', async () => {
    const html = await (await fetch(`http://127.0.0.1:${app.lanPort}/join/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    expect((await fetch(`http://127.0.0.1:${app.lanPort}${script}`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${app.lanPort}${script}.map`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${app.consolePort}${script}.map`)).status).toBe(200);
  });

  it(`one address holds at most ${SOCKETS_PER_ADDRESS} sockets (loopback, this computer itself, is not capped)`, async () => {
    const cap = new AddressCap(2);
    expect([
      cap.take('10.0.0.5'),
      cap.take('10.0.0.5'),
      cap.take('10.0.0.5'),
      cap.take('10.0.0.6'),
    ]).toEqual([true, true, false, true]);
    cap.release('10.0.0.5');
    expect(cap.take('10.0.0.5')).toBe(true);
    expect(Array.from({ length: 100 }, () => cap.take('127.0.0.1')).every(Boolean)).toBe(true);

    // Over the wire, from one of this machine's own non-loopback addresses, when it has one.
    const lan = Object.values(os.networkInterfaces())
      .flat()
      .find(
        (a) =>
          a &&
          a.family === 'IPv4' &&
          !a.internal &&
          !/^10\.(1\d\d|2[0-4]\d)\.0\.1$/.test(a.address),
      );
    if (!lan) return;
    const url = `ws://${lan.address}:${app.lanPort}/ws/trainee`;
    const sockets: WebSocket[] = [];
    for (let i = 0; i < SOCKETS_PER_ADDRESS; i++) {
      const a = await attempt(url);
      expect(a.result).toBe('open');
      sockets.push(a.ws);
    }
    expect((await attempt(url)).result).toBe('429');
    sockets.pop()!.close();
    await new Promise((r) => setTimeout(r, 200));
    const again = await attempt(url);
    expect(again.result).toBe('open');
    for (const ws of [...sockets, again.ws]) ws.close();
  });
});
