/**
 * A console (the real app: server on free ports, real sockets, SQLite in a temp folder) enrolled on
 * a real PostgreSQL records server through its API: the credential goes to an owner-only file and
 * never comes back to the page; the console view says in words how the pushing goes; nothing is
 * sent while a question is open, everything once it closes; the server going away is reported
 * with the host and retried; bad enrolments change nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initSchema } from '../../main/records-server/schema';
import { enrolConsole } from '../../main/records-server/roles';
import { CREDENTIAL_FILE } from '../../main/records/push/credential';
import { replicationState } from '../../main/records/outbox';
import type { ConsoleView } from '../../shared/protocol';
import type { RecordsServerSetup } from '../../shared/records-server';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { joinTrainee, openConsole } from '../helpers/clients';
import { startPostgres } from '../helpers/postgres';
import type { TestPostgres } from '../helpers/postgres';
import { startCutProxy } from '../helpers/cut-proxy';
import type { CutProxy } from '../helpers/cut-proxy';

let server: TestPostgres;
let admin: pg.Client;
let app: TestApp;
let proxy: CutProxy;

beforeAll(async () => {
  server = await startPostgres({ fast: true });
  admin = new pg.Client(server.url);
  await admin.connect();
  await initSchema(admin);
  proxy = await startCutProxy(server.port);
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
  await proxy?.close();
  await admin?.end();
  await server?.stop();
  if (app) fs.rmSync(app.dataDir, { recursive: true, force: true });
});

const api = (method: string, body?: unknown) =>
  fetch(`${app.consoleBase}/api/records-server`, {
    method,
    headers: { 'X-Muster-Token': app.token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const hwm = async () =>
  Number((await admin.query(`SELECT max(hwm) AS h FROM muster.consoles`)).rows[0].h ?? 0);

describe("a console's link to the records server", () => {
  it('refuses what is not an enrolment, and needs the token', async () => {
    expect((await fetch(`${app.consoleBase}/api/records-server`)).status).toBe(401);
    for (const bad of [
      { url: 'http://example.org' },
      { url: 'postgres://host/db' },
      { url: 42 },
      { url: 'postgres://a:b@h/d', extra: 1 },
    ]) {
      const r = await api('PUT', bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api('POST', {})).status).toBe(405);
    expect(fs.existsSync(path.join(app.dataDir, CREDENTIAL_FILE))).toBe(false);
    expect(((await (await api('GET')).json()) as RecordsServerSetup).enrolled).toBe(false);
  });

  it('pushes, pauses while a question is open, reports the server away, in words', async () => {
    const e = await enrolConsole(admin, 'Room 7', server.url);
    const url = e.url.replace(`:${server.port}/`, `:${proxy.port}/`);
    const con = await openConsole(app.consoleBase, app.token);
    const view = async (pred: (v: ConsoleView) => boolean, ms = 20_000) =>
      (await con.nextNew(
        (m) => m.t === 'console' && pred(m as unknown as ConsoleView),
        ms,
      )) as unknown as ConsoleView;

    const put = await api('PUT', { url });
    expect(put.status).toBe(200);
    const setup = (await put.json()) as RecordsServerSetup;
    expect(setup).toMatchObject({
      enrolled: true,
      host: '127.0.0.1',
      login: e.login,
      storage: 'file',
    });
    expect(JSON.stringify(setup)).not.toContain(e.password);
    const file = path.join(app.dataDir, CREDENTIAL_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // A class starts and a question opens: records are written, none are sent.
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    await view((v) => v.recordsServer?.state === 'up-to-date');
    const poll = app.classroom.engine.session!.deck.slides.findIndex(
      (x) => x.question?.type === 'single',
    );
    expect((await con.cmd({ type: 'goto', index: poll })).ok).toBe(true);
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
    const sent = await hwm();
    const paused = await view((v) => v.recordsServer?.state === 'paused');
    const trainee = await joinTrainee(app.lanUrl, app.classroom.engine.session!.roomCode, {
      name: 'Ana Ortiz',
      officerId: '00417',
    });
    const q = app.classroom.engine.session!.deck.slides[poll].question!;
    trainee.send({
      t: 'answer',
      id: 'answer-1',
      runId: app.classroom.engine.run!.runId,
      value: q.type === 'single' ? q.options[0] : 'x',
    });
    await trainee.next((m) => m.t === 'ack');
    expect(paused.recordsServer!.text).toMatch(
      /^Records server: \d+ changes? waiting \(paused while a question is open\)$/,
    );
    // Two more of the pusher's rounds go by (it says "paused" at each): still nothing sent.
    await view((v) => v.recordsServer?.state === 'paused');
    await view((v) => v.recordsServer?.state === 'paused');
    expect(await hwm()).toBe(sent);
    expect(replicationState(app.records.db).waiting).toBeGreaterThan(0);

    // The question closes: everything goes, and the console says so.
    expect((await con.cmd({ type: 'closeQuestion' })).ok).toBe(true);
    const done = await view(
      (v) => v.recordsServer?.state === 'up-to-date' && v.recordsServer.waiting === 0,
    );
    expect(done.recordsServer!.text).toBe('Records server: up to date, just now');
    expect(await hwm()).toBe(replicationState(app.records.db).last);
    const answers = (
      await admin.query(`SELECT value_json FROM muster.answer_log WHERE console = $1`, [e.login])
    ).rows;
    expect(answers).toHaveLength(1);

    // The server goes away: the console names the host and says it retries; then it comes back.
    proxy.refuse();
    expect((await con.cmd({ type: 'goto', index: 0 })).ok).toBe(true);
    const away = await view((v) => v.recordsServer?.state === 'unreachable');
    expect(away.recordsServer!.text).toMatch(
      /^Records server: cannot reach 127\.0\.0\.1: .+ · \d changes? waiting · retrying in \d+ s$/,
    );
    proxy.accept();
    await view(
      (v) => v.recordsServer?.state === 'up-to-date' && v.recordsServer.waiting === 0,
      90_000,
    );
    await trainee.close();
    await con.close();

    // Disconnecting forgets the credential; the records stay.
    const off = (await (await api('DELETE')).json()) as RecordsServerSetup;
    expect(off.enrolled).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
    expect(app.records.session(app.classroom.engine.session!.id)).toBeDefined();
  });
});
