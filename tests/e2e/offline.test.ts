/**
 * "Nothing lost" on a bad venue Wi-Fi: 30 phones lose the network in the middle of a question, answer
 * while offline, and come back by themselves. Every answer is stored exactly once; a phone says
 * "Answer received" only after the server has stored it.
 *
 * Three kinds of phone:
 * - most just go offline and online again;
 * - RELOAD phones are reloaded while the class is still out of reach (the page loads, its socket
 *   cannot get through): the queued answer and the question survive the reload;
 * - LOST_ACK phones get their answer stored but the acknowledgement is lost on the way back: they
 *   keep saying "Sending…" (never "Answer received"), resend the same message id after a reload,
 *   and the resend is stored no second time.
 * One Chromium, one context per phone (each needs its own localStorage), 360 × 740.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { useE2e, startClass } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { terminateTraineeSockets, traineeIdOf } from '../helpers/a11y';

const env = useE2e();

const N = 30;
const OPTIONS = ['Days', 'Evenings', 'Nights', 'Rotating'];
const RELOAD = new Set([0, 1, 2]);
const LOST_ACK = new Set([3, 4, 5]);

/** What the test does to one phone's socket, through Playwright's WebSocket routing. */
interface SocketControl {
  /** New sockets are refused (the class is out of reach although the page itself loads). */
  block: boolean;
  /** The server's acks are dropped on the way to the phone. */
  dropAcks: boolean;
  droppedAcks: number;
  /** How many times each answer message id went out. */
  sent: Map<string, number>;
}

interface Phone {
  i: number;
  ctx: BrowserContext;
  page: Page;
  name: string;
  officerId: string;
  answer: string;
  traineeId: string;
  ctl: SocketControl | null;
}

function readDb<T>(sql: string, ...params: unknown[]): T[] {
  // A second, independent, read-only connection: sees only what was committed to the file.
  const db = new Database(path.join(env.app.dataDir, 'muster.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

async function newPhone(i: number, joinUrl: string): Promise<Phone> {
  const ctx = await env.browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
  });
  let ctl: SocketControl | null = null;
  if (RELOAD.has(i) || LOST_ACK.has(i)) {
    const c: SocketControl = { block: false, dropAcks: false, droppedAcks: 0, sent: new Map() };
    ctl = c;
    await ctx.routeWebSocket(/\/ws\/trainee$/, (ws) => {
      if (c.block) return void ws.close({ code: 1011, reason: 'out of reach' });
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        const msg = JSON.parse(String(m)) as { t: string; id?: string };
        if (msg.t === 'answer' && msg.id) c.sent.set(msg.id, (c.sent.get(msg.id) ?? 0) + 1);
        server.send(m);
      });
      server.onMessage((m) => {
        if (c.dropAcks && (JSON.parse(String(m)) as { t: string }).t === 'ack') {
          c.droppedAcks++;
          return;
        }
        ws.send(m);
      });
    });
  }
  const page = await ctx.newPage();
  page.on('pageerror', (e) => scriptErrors.push(`phone ${i}: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) httpErrors.push(`phone ${i}: HTTP ${r.status()} ${r.url()}`);
  });
  const name = `Trainee ${String(i + 1).padStart(2, '0')}`;
  const officerId = `OFF-${1000 + i}`;
  await page.goto(joinUrl);
  try {
    await page.getByLabel('Name').waitFor({ timeout: 15_000 });
  } catch (e) {
    throw new Error(
      `phone ${i}: no join form: ${(await page.content()).slice(0, 400)} ${[...scriptErrors, ...httpErrors].join('; ')}`,
      { cause: e },
    );
  }
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Officer ID').fill(officerId);
  await page.getByLabel('Agency').fill('Harbor PD');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByText('You are in').waitFor();
  return {
    i,
    ctx,
    page,
    name,
    officerId,
    answer: OPTIONS[i % OPTIONS.length],
    traineeId: traineeIdOf(env.app, officerId),
    ctl,
  };
}

/** Runs fn over the phones, a few at a time (two cores: 30 pages at once only queue up). */
async function each<T>(phones: T[], fn: (p: T) => Promise<unknown>, width = 10): Promise<void> {
  for (let k = 0; k < phones.length; k += width)
    await Promise.all(phones.slice(k, k + width).map(fn));
}

const queuedText = /Saved on this phone/;
/** Script errors on the phones (there must be none) and HTTP errors (to explain a page that did not load). */
const scriptErrors: string[] = [];
const httpErrors: string[] = [];

describe('answers given offline', () => {
  it('30 phones lose the network mid-question, answer offline, come back: every answer stored exactly once', async () => {
    const started = Date.now();
    const { con, joinUrl: readJoinUrl } = await startClass(env, {
      deck: 'demo/01-welcome.md',
      viewport: { width: 1600, height: 1000 },
    });
    const joinUrl = await readJoinUrl();

    const phones: Phone[] = [];
    for (let k = 0; k < N; k += 6)
      phones.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(6, N - k) }, (_, j) => newPhone(k + j, joinUrl)),
        )),
      );
    await con.getByText(`(${N} connected of ${N})`).waitFor();
    const joinedAt = Date.now();

    // The poll is the third slide.
    await con.getByRole('button', { name: 'Next slide' }).click();
    await con.getByText('Slide 2 of 6').waitFor();
    await con.getByRole('button', { name: 'Next slide' }).click();
    await con.getByText('Slide 3 of 6').waitFor();
    await con.getByRole('button', { name: 'Open question' }).click();
    await con.getByText('Question open').waitFor();
    const runId = env.app.classroom.engine.run!.runId;
    const prompt = env.app.classroom.engine.run!.q.prompt;
    await each(phones, (p) => p.page.getByRole('heading', { name: prompt }).waitFor());
    // The console shows who has not answered yet: everybody.
    await con.locator('.answered-count').getByText(`0 of ${N} answered`).waitFor();
    expect(await con.locator('.trainee-list .answered.no').count()).toBe(N);

    // ---- the Wi-Fi drops for everyone in the middle of the question
    for (const p of phones) if (p.ctl && LOST_ACK.has(p.i)) p.ctl.dropAcks = true;
    await each(phones, (p) => p.ctx.setOffline(true), N);
    terminateTraineeSockets(
      env.app,
      phones.map((p) => p.traineeId),
    );
    await each(phones, (p) => p.page.getByText('Reconnecting…').waitFor());
    await con.getByText(`(0 connected of ${N})`).waitFor();

    // ---- everyone answers while offline: saved on the phone, not "received"
    await each(phones, async (p) => {
      await p.page.getByRole('button', { name: p.answer, exact: true }).click();
      await p.page.getByText(queuedText).waitFor();
    });
    for (const p of phones)
      expect(await p.page.getByText('Answer received').count(), p.name).toBe(0);
    await phones[6].page.screenshot({ path: shotPath('trainee-offline-queued-30-360') });
    expect(readDb('SELECT 1 FROM answer_log WHERE run_id = ?', runId)).toHaveLength(0);
    expect(await con.locator('.trainee-list .answered.no').count()).toBe(N);

    // ---- RELOAD phones: the page reloads while the class is still out of reach
    const reloaders = phones.filter((p) => RELOAD.has(p.i));
    await each(reloaders, async (p) => {
      p.ctl!.block = true;
      await p.ctx.setOffline(false);
      await p.page.reload();
      // Same question, same answer chosen, still waiting on the phone.
      await p.page.getByRole('heading', { name: prompt }).waitFor();
      await p.page.getByText(queuedText).waitFor();
      await p.page.getByText('Reconnecting…').waitFor();
      expect(
        await p.page
          .getByRole('button', { name: p.answer, exact: true })
          .getAttribute('aria-pressed'),
      ).toBe('true');
    });
    await reloaders[0].page.screenshot({ path: shotPath('trainee-offline-reloaded-360') });
    expect(readDb('SELECT 1 FROM answer_log WHERE run_id = ?', runId)).toHaveLength(0);

    // ---- the network comes back; the phones reconnect by themselves
    const backAt = Date.now();
    const plain = phones.filter((p) => !p.ctl);
    const lostAck = phones.filter((p) => LOST_ACK.has(p.i));
    await each(phones, (p) => (RELOAD.has(p.i) ? Promise.resolve() : p.ctx.setOffline(false)), N);
    await each(plain, (p) => p.page.getByText('Answer received').waitFor({ timeout: 20_000 }), N);
    const plainBackMs = Date.now() - backAt;

    // LOST_ACK phones: stored on the server, but without the ack the phone must not claim it.
    await expect
      .poll(() => lostAck.every((p) => env.app.classroom.engine.run!.answers.has(p.traineeId)), {
        timeout: 20_000,
      })
      .toBe(true);
    for (const p of lostAck) {
      await p.page.getByText('Sending…').waitFor();
      expect(await p.page.getByText('Answer received').count(), p.name).toBe(0);
      expect(p.ctl!.droppedAcks).toBeGreaterThanOrEqual(1);
    }
    await lostAck[0].page.screenshot({ path: shotPath('trainee-ack-lost-360') });
    // The acks get through again; a reload makes the phone resend what it still holds, same id.
    await each(lostAck, async (p) => {
      p.ctl!.dropAcks = false;
      await p.page.reload().catch((e: Error) => {
        throw new Error(
          `${p.name}: the reload failed (${e.message.split('\n')[0]}); HTTP errors: ${httpErrors.join('; ') || 'none'}; server log: ${env.app.logs.slice(-5).join(' | ')}`,
          { cause: e },
        );
      });
      await p.page.getByText('Answer received').waitFor({ timeout: 20_000 });
    });
    for (const p of lostAck) {
      expect(p.ctl!.sent.size, `${p.name}: one answer, one message id`).toBe(1);
      expect([...p.ctl!.sent.values()][0], `${p.name}: sent more than once`).toBeGreaterThanOrEqual(
        2,
      );
    }

    // RELOAD phones: the class is in reach again; they get through without being touched.
    for (const p of reloaders) p.ctl!.block = false;
    await each(reloaders, (p) => p.page.getByText('Answer received').waitFor({ timeout: 20_000 }));

    // ---- every phone shows its own answer as received
    await each(phones, async (p) => {
      expect(
        await p.page
          .getByRole('button', { name: p.answer, exact: true })
          .getAttribute('aria-pressed'),
        p.name,
      ).toBe('true');
      expect(await p.page.getByText(queuedText).count(), p.name).toBe(0);
    });
    await phones[6].page.screenshot({ path: shotPath('trainee-offline-delivered-360') });

    // ---- the console: everyone back, everyone answered, nobody waiting
    await con.getByText(`(${N} connected of ${N})`).waitFor();
    await con.locator('.answered-count').getByText(`${N} of ${N} answered`).waitFor();
    expect(await con.locator('.trainee-list .answered.no').count()).toBe(0);
    expect(await con.locator('.trainee-list .answered.yes').count()).toBe(N);
    await con.screenshot({ path: shotPath('console-offline-30-answered') });

    // ---- the records: exactly one stored answer per trainee, the one clicked
    const log = readDb<{ officer_id: string; msg_id: string; value_json: string }>(
      'SELECT t.officer_id, a.msg_id, a.value_json FROM answer_log a JOIN trainees t ON t.id = a.trainee_id WHERE a.run_id = ?',
      runId,
    );
    expect(log).toHaveLength(N);
    expect(new Set(log.map((r) => r.officer_id)).size).toBe(N);
    const responses = readDb<{ officer_id: string; value_json: string; changes: number }>(
      'SELECT t.officer_id, r.value_json, r.changes FROM responses r JOIN trainees t ON t.id = r.trainee_id WHERE r.run_id = ?',
      runId,
    );
    expect(responses).toHaveLength(N);
    const byOfficer = new Map(responses.map((r) => [r.officer_id, r]));
    for (const p of phones) {
      expect(JSON.parse(byOfficer.get(p.officerId)!.value_json), p.name).toBe(p.answer);
      expect(byOfficer.get(p.officerId)!.changes, p.name).toBe(0);
      expect(JSON.parse(log.find((r) => r.officer_id === p.officerId)!.value_json)).toBe(p.answer);
    }
    // The resent ids are the ones stored: a resend counted no second time.
    for (const p of lostAck)
      expect(log.find((r) => r.officer_id === p.officerId)!.msg_id).toBe(
        [...p.ctl!.sent.keys()][0],
      );
    expect(
      env.app.classroom.engine.results({ hidePrompt: false, profanityFilter: false })!.answered,
    ).toBe(N);
    expect(scriptErrors).toEqual([]);
    expect(httpErrors).toEqual([]);
    // Same identities throughout: nobody came back as a new trainee.
    expect(env.app.classroom.engine.trainees.size).toBe(N);
    expect(readDb('SELECT 1 FROM trainees')).toHaveLength(N);

    console.log(
      JSON.stringify({
        trainees: N,
        joinMs: joinedAt - started,
        plainPhonesBackMs: plainBackMs,
        totalMs: Date.now() - started,
        resends: lostAck.map((p) => [...p.ctl!.sent.values()][0]),
        droppedAcks: lostAck.map((p) => p.ctl!.droppedAcks),
      }),
    );
    await Promise.all(phones.map((p) => p.ctx.close()));
    // Thirty phone pages in one Chromium: ~65 s alone, and 93, 115 and then more than 120 s beside
    // the rest of the suite on two busy cores (the same on the code before this session's).
  }, 240_000);
});
