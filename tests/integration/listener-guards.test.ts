/**
 * The two listeners guard themselves: the loopback one wants the token, its own Origin and its own
 * host name; the LAN one serves only the trainee page.
 */
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client } from '../helpers/clients';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.stop();
});

describe('listeners', () => {
  it('the loopback listener refuses a request without the token', async () => {
    for (const p of ['/console/', '/projector/', '/api/sessions']) {
      const res = await fetch(`${app.consoleBase}${p}`);
      expect(res.status, p).toBe(401);
      expect((await fetch(`${app.consoleBase}${p}?token=wrong`)).status).toBe(401);
    }
    expect((await fetch(`${app.consoleBase}/console/?token=${app.token}`)).status).toBe(200);
    await expect(
      Client.open(`${app.consoleBase.replace('http', 'ws')}/ws/instructor?role=console`),
    ).rejects.toThrow(/403/);
    await expect(
      Client.open(`${app.consoleBase.replace('http', 'ws')}/ws/instructor?role=console&token=nope`),
    ).rejects.toThrow(/403/);
  });

  it('a request from another Origin is refused', async () => {
    const evil = { Origin: 'http://evil.example' };
    await expect(
      Client.open(
        `${app.consoleBase.replace('http', 'ws')}/ws/instructor?role=console&token=${app.token}`,
        evil,
      ),
    ).rejects.toThrow(/403/);
    await expect(
      Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`, evil),
    ).rejects.toThrow(/403/);
    // The page's own origin is accepted.
    const ok = await Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`, {
      Origin: app.lanUrl,
    });
    expect(ok.ws.readyState).toBe(WebSocket.OPEN);
    await ok.close();
  });

  it('the loopback listener answers only to its own host name (no DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: app.consolePort,
            path: `/console/?token=${app.token}`,
            headers: { Host: `evil.example:${app.consolePort}` },
          },
          (r) => resolve(r.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end();
      });
    });
    expect(res).toBe(421);
  });

  it('the LAN listener serves only the trainee page', async () => {
    expect((await fetch(`${app.lanUrl}/join/`)).status).toBe(200);
    for (const p of [
      `/console/?token=${app.token}`,
      `/api/sessions?token=${app.token}`,
      '/projector/',
      '/assets/../../package.json',
    ]) {
      expect((await fetch(`${app.lanUrl}${p}`)).status, p).toBe(404);
    }
    expect((await fetch(`${app.lanUrl}/join/`, { method: 'POST' })).status).toBe(405);
    const page = await fetch(`${app.lanUrl}/join/`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });
});
