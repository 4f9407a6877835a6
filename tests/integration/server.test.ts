import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client, joinTrainee, msgId, openConsole } from '../helpers/clients';
import { startDemoPoll } from '../helpers/class';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.stop();
});

const startPoll = () => startDemoPoll(app);

const readDb = (sql: string, ...params: unknown[]) => readRecords(app.dataDir, sql, ...params);

describe('trainee socket', () => {
  it('an answer sent twice is stored once, and both sends are acknowledged', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Ana Ortiz', officerId: '00417' });
    await con.cmd({ type: 'openQuestion' });
    const view = await t.next<{ t: 'view'; question: { runId: string; open: boolean } | null }>(
      (m) => m.t === 'view' && !!(m as { question?: { open?: boolean } }).question?.open,
    );
    const runId = view.question!.runId;
    const id = msgId();
    t.send({ t: 'answer', id, runId, value: 'Nights' });
    await t.next((m) => m.t === 'ack' && m.id === id);
    const before = t.messages.length;
    t.send({ t: 'answer', id, runId, value: 'Nights' });
    await t.next((m) => m.t === 'ack' && m.id === id, 5000, before);
    expect(readDb('SELECT * FROM answer_log WHERE run_id = ?', runId)).toHaveLength(1);
    const responses = readDb('SELECT value_json, changes FROM responses WHERE run_id = ?', runId);
    expect(responses).toEqual([{ value_json: '"Nights"', changes: 0 }]);
    expect(
      app.classroom.engine.results({ hidePrompt: false, profanityFilter: false })!.answered,
    ).toBe(1);
    await t.close();
    await con.close();
  });

  it('a new answer replaces the old one until the question closes; then answers are refused', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Ben', officerId: 'B1' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    for (const value of ['Days', 'Evenings']) {
      const id = msgId();
      t.send({ t: 'answer', id, runId, value });
      await t.next((m) => m.t === 'ack' && m.id === id);
    }
    await con.cmd({ type: 'closeQuestion' });
    const late = msgId();
    t.send({ t: 'answer', id: late, runId, value: 'Nights' });
    const err = await t.next<{ t: 'error'; code: string }>((m) => m.t === 'error' && m.id === late);
    expect(err.code).toBe('closed');
    expect(readDb('SELECT value_json, changes FROM responses WHERE run_id = ?', runId)).toEqual([
      { value_json: '"Evenings"', changes: 1 },
    ]);
    expect(readDb('SELECT COUNT(*) AS n FROM answer_log WHERE run_id = ?', runId)).toEqual([
      { n: 2 },
    ]);
    await t.close();
    await con.close();
  });

  it('an invalid message gets a clear error and changes nothing', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Cy', officerId: 'C1' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    const snapshot = () =>
      readDb(
        'SELECT (SELECT COUNT(*) FROM answer_log) a, (SELECT COUNT(*) FROM responses) r, (SELECT COUNT(*) FROM trainees) t',
      );
    const before = snapshot();
    const cases: [string | object, RegExp][] = [
      ['not json', /JSON/],
      [{ t: 'answer', id: msgId(), runId, value: 'Not an option' }, /choose one of the options/],
      [{ t: 'answer', id: 'x', runId, value: 'Days' }, /message id/],
      [{ t: 'answer', id: msgId(), runId, value: { $gt: 1 } }, /value/],
      [{ t: 'join', name: '', officerId: 'Z', agency: 'Z', roomCode: room }, /already joined|Name/],
      [{ t: 'hello' }, /t/],
      [{ t: 'answer', id: msgId(), runId, value: 'Days', extra: 1 }, /extra|Unrecognized/i],
    ];
    for (const [m, pattern] of cases) {
      const n = t.messages.length;
      t.send(m);
      const err = await t.next<{ t: 'error'; message: string }>((x) => x.t === 'error', 5000, n);
      expect(err.message).toMatch(pattern);
    }
    expect(snapshot()).toEqual(before);
    expect(
      app.classroom.engine.results({ hidePrompt: false, profanityFilter: false })!.answered,
    ).toBe(0);
    await t.close();
    await con.close();
  });

  it('an oversized message closes the socket without changing anything', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Di', officerId: 'D1' });
    const closed = new Promise<number>((r) => t.ws.once('close', (code) => r(code)));
    t.send({ t: 'ping', pad: 'x'.repeat(10_000) });
    expect(await closed).toBe(1009);
    expect(readDb('SELECT COUNT(*) AS n FROM answer_log')).toEqual([{ n: 0 }]);
    await con.close();
  });

  it('a trainee socket cannot send instructor commands', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Eve', officerId: 'E1' });
    const slide = app.classroom.engine.session!.slideIndex;
    t.send({ t: 'cmd', id: msgId(), cmd: { type: 'next' } });
    const err = await t.next<{ t: 'error'; code: string }>((m) => m.t === 'error');
    expect(err.code).toBe('invalid');
    expect(app.classroom.engine.session!.slideIndex).toBe(slide);
    // The instructor socket path does not exist on the LAN listener at all.
    await expect(
      Client.open(
        `${app.lanUrl.replace('http', 'ws')}/ws/instructor?role=console&token=${app.token}`,
      ),
    ).rejects.toThrow(/403/);
    await t.close();
    await con.close();
  });

  it('a phone that reconnects with its token is the same trainee with its answer kept', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Flo', officerId: 'F1' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    const id = msgId();
    t.send({ t: 'answer', id, runId, value: 'Days' });
    await t.next((m) => m.t === 'ack');
    const traineeId = (
      t.messages.find((m) => m.t === 'welcome') as unknown as { trainee: { id: string } }
    ).trainee.id;
    await t.close();
    const again = await Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`);
    again.send({ t: 'resume', token: t.token });
    const w = await again.next<{
      t: 'welcome';
      trainee: { id: string };
      answer: { runId: string; value: string };
    }>((m) => m.t === 'welcome');
    expect(w.trainee.id).toBe(traineeId);
    expect(w.answer).toEqual({ runId, value: 'Days' });
    expect(app.classroom.engine.trainees.size).toBe(1);
    const events = readDb(
      'SELECT event FROM attendance WHERE trainee_id = ? ORDER BY seq',
      traineeId,
    ).map((r) => r.event);
    expect(events).toEqual(['join', 'leave', 'join']);
    await again.close();
    await con.close();
  });

  it('a wrong room code is refused with a message the trainee can act on', async () => {
    const { con, room } = await startPoll();
    const wrong = room === '000000' ? '111111' : '000000';
    const c = await Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`);
    c.send({ t: 'join', name: 'Gus', officerId: 'G1', agency: 'X', roomCode: wrong });
    const err = await c.next<{ t: 'error'; message: string }>((m) => m.t === 'error');
    expect(err.message).toMatch(/room code/);
    expect(app.classroom.engine.trainees.size).toBe(0);
    await c.close();
    await con.close();
  });

  it('phones never see the correct answer before the reveal', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    const idx = app.classroom.engine.session!.deck.slides.findIndex(
      (s) => s.question?.type === 'truefalse',
    );
    await con.cmd({ type: 'goto', index: idx });
    const t = await joinTrainee(app.lanUrl, app.classroom.engine.session!.roomCode, {
      name: 'Hal',
      officerId: 'H1',
    });
    await con.cmd({ type: 'openQuestion' });
    await t.next((m) => m.t === 'view' && (m as { phase?: string }).phase === 'question');
    await con.cmd({ type: 'closeQuestion' });
    await t.next((m) => m.t === 'view' && (m as { phase?: string }).phase === 'closed');
    const beforeReveal = JSON.stringify(t.messages);
    expect(beforeReveal).not.toMatch(/correct|explanation":"Under/);
    await con.cmd({ type: 'showResults' });
    const v = await t.next<{ t: 'view'; reveal: { correct: string[] } }>(
      (m) => m.t === 'view' && (m as { phase?: string }).phase === 'results',
    );
    expect(v.reveal.correct).toEqual(['True']);
    await t.close();
    await con.close();
  });
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

describe('records', () => {
  it('an acknowledged answer is already in the database file', async () => {
    const { con, room } = await startPoll();
    const trainees = await Promise.all(
      [1, 2, 3].map((i) => joinTrainee(app.lanUrl, room, { name: `T${i}`, officerId: `ID${i}` })),
    );
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    await Promise.all(
      trainees.map(async (t) => {
        const id = msgId();
        t.send({ t: 'answer', id, runId, value: 'Days' });
        await t.next((m) => m.t === 'ack' && m.id === id);
        // At the moment of the ack, an independent reader sees the stored row.
        const traineeId = (
          t.messages.find((m) => m.t === 'welcome') as unknown as { trainee: { id: string } }
        ).trainee.id;
        expect(
          readDb('SELECT 1 FROM responses WHERE run_id = ? AND trainee_id = ?', runId, traineeId),
        ).toHaveLength(1);
      }),
    );
    await Promise.all(trainees.map((t) => t.close()));
    await con.close();
  });

  it('after a restart the class resumes where it was, with the same trainees and answers', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Ivy', officerId: '00417' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    const id = msgId();
    t.send({ t: 'answer', id, runId, value: 'Rotating' });
    await t.next((m) => m.t === 'ack');
    const slide = app.classroom.engine.session!.slideIndex;
    await t.close();
    await con.close();
    await app.stop();

    app = await startTestApp({ dataDir: app.dataDir });
    expect(app.classroom.engine.session?.roomCode).toBe(room);
    expect(app.classroom.engine.session?.slideIndex).toBe(slide);
    expect(app.classroom.engine.session?.phase).toBe('question');
    const again = await Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`);
    again.send({ t: 'resume', token: t.token });
    const w = await again.next<{ t: 'welcome'; answer: { value: string } }>(
      (m) => m.t === 'welcome',
    );
    expect(w.answer.value).toBe('Rotating');
    // A resend of the same message after the restart is still recognised as a resend.
    again.send({ t: 'answer', id, runId, value: 'Rotating' });
    await again.next((m) => m.t === 'ack' && m.id === id);
    expect(readDb('SELECT COUNT(*) AS n FROM answer_log')).toEqual([{ n: 1 }]);
    await again.close();
  });
});

describe('presenting', () => {
  it('black and white screens and the theme reach the projector at once, and notes never do', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    const proj = await Client.open(
      `${app.consoleBase.replace('http', 'ws')}/ws/instructor?role=projector&token=${app.token}`,
    );
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    for (const mode of ['black', 'white', 'none'] as const) {
      expect((await con.cmd({ type: 'blank', mode })).ok).toBe(true);
      await proj.next(
        (m) => m.t === 'projector' && m.blank === mode,
        2000,
        proj.messages.length - 1,
      );
    }
    await con.cmd({ type: 'blank', mode: 'black' });
    await con.cmd({ type: 'next' });
    // Moving on uncovers the screen, as in a presentation program.
    const v = await proj.nextNew<{ t: 'projector'; blank: string; slide: { index: number } }>(
      (m) => m.t === 'projector' && (m as { slide?: { index: number } }).slide?.index === 1,
    );
    expect(v.blank).toBe('none');
    expect((await con.cmd({ type: 'setTheme', theme: 'contrast' })).ok).toBe(true);
    await proj.nextNew((m) => m.t === 'projector' && m.theme === 'contrast');
    const notes = app.classroom.engine.session!.deck.slides.map((s) => s.notes).filter(Boolean);
    expect(notes.length).toBeGreaterThan(0);
    const seen = JSON.stringify(proj.messages);
    for (const n of notes) expect(seen).not.toContain(n.slice(0, 30));
    expect(JSON.stringify(con.messages)).toContain(notes[1].slice(0, 30));
    await proj.close();
    await con.close();
  });
});

describe('Q&A board', () => {
  it('questions wait for approval, votes count once, and an anonymous question has no link to its author', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    const room = app.classroom.engine.session!.roomCode;
    const a = await joinTrainee(app.lanUrl, room, { name: 'Asha Named', officerId: 'QA1' });
    const b = await joinTrainee(app.lanUrl, room, { name: 'Ben Hidden', officerId: 'QA2' });
    const named = msgId();
    a.send({ t: 'ask', id: named, text: 'Who do we call at night?', anonymous: false });
    await a.next((m) => m.t === 'ack' && m.id === named);
    const anon = msgId();
    b.send({ t: 'ask', id: anon, text: 'What if the victim is 17?', anonymous: true });
    await b.next((m) => m.t === 'ack' && m.id === anon);
    b.send({ t: 'ask', id: anon, text: 'What if the victim is 17?', anonymous: true }); // a resend
    await b.nextNew((m) => m.t === 'ack' && m.id === anon);
    expect(app.classroom.engine.qa.size).toBe(2);

    // Nothing reaches the phones before the instructor approves it.
    expect(app.classroom.engine.traineeView(Date.now(), app.classroom.stage).qa).toEqual([]);
    const items = app.classroom.consoleView().session!.qa;
    expect(items.map((q) => [q.text, q.name, q.anonymous, q.status])).toEqual([
      ['Who do we call at night?', 'Asha Named', false, 'pending'],
      ['What if the victim is 17?', null, true, 'pending'],
    ]);
    for (const q of items)
      expect((await con.cmd({ type: 'qa', qaId: q.id, action: 'approve' })).ok).toBe(true);
    const anonId = items[1].id;
    const board = await a.nextNew<{ t: 'view'; qa: { id: string; votes: number }[] }>(
      (m) => m.t === 'view' && (m as { qa?: unknown[] }).qa?.length === 2,
    );
    expect(JSON.stringify(board.qa)).not.toMatch(/Asha|Ben|QA1|QA2/);

    a.send({ t: 'vote', qaId: anonId });
    a.send({ t: 'vote', qaId: anonId });
    b.send({ t: 'vote', qaId: anonId });
    await a.nextNew(
      (m) => m.t === 'view' && (m as { qa?: { votes: number }[] }).qa?.[0]?.votes === 2,
      3000,
    );

    const proj = await Client.open(
      `${app.consoleBase.replace('http', 'ws')}/ws/instructor?role=projector&token=${app.token}`,
    );
    await con.cmd({ type: 'showQa', show: true });
    const pv = await proj.next<{
      t: 'projector';
      qa: { items: { text: string; votes: number }[] };
    }>((m) => m.t === 'projector' && !!(m as { qa?: unknown }).qa);
    expect(pv.qa.items[0]).toMatchObject({ text: 'What if the victim is 17?', votes: 2 });

    const rows = readDb(
      'SELECT text, trainee_id, anonymous, votes FROM qa_questions ORDER BY created_at, text',
    );
    expect(rows).toEqual([
      { text: 'Who do we call at night?', trainee_id: expect.any(String), anonymous: 0, votes: 0 },
      { text: 'What if the victim is 17?', trainee_id: null, anonymous: 1, votes: 2 },
    ]);
    // The author's ID appears nowhere next to the anonymous question.
    const bId = (
      b.messages.find((m) => m.t === 'welcome') as unknown as { trainee: { id: string } }
    ).trainee.id;
    expect(readDb('SELECT * FROM qa_questions WHERE trainee_id = ?', bId)).toEqual([]);
    await Promise.all([a.close(), b.close(), proj.close(), con.close()]);
  });
});

describe('session details', () => {
  it('instructors and location go into the session record, and each change is audit-logged', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    const id = app.classroom.engine.session!.id;
    expect(
      (
        await con.cmd({
          type: 'sessionDetails',
          instructors: 'Sgt. R. Diaz',
          location: 'Academy room 2',
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await con.cmd({
          type: 'sessionDetails',
          instructors: 'Sgt. R. Diaz',
          location: 'Academy room 2',
        })
      ).ok,
    ).toBe(true); // no change, no row
    expect(
      (
        await con.cmd({
          type: 'sessionDetails',
          instructors: 'Sgt. R. Diaz; Det. K. Ames',
          location: 'Academy room 2',
        })
      ).ok,
    ).toBe(true);
    expect(readDb('SELECT instructors, location FROM sessions WHERE id = ?', id)).toEqual([
      { instructors: 'Sgt. R. Diaz; Det. K. Ames', location: 'Academy room 2' },
    ]);
    const audit = readDb(
      "SELECT before_json, after_json, reason FROM audit_log WHERE action = 'sessionDetails' ORDER BY seq",
    );
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[1].before_json as string)).toEqual({
      instructors: 'Sgt. R. Diaz',
      location: 'Academy room 2',
    });
    expect(audit[1].reason).toMatch(/changed/);
    const badId = msgId();
    con.send({
      t: 'cmd',
      id: badId,
      cmd: { type: 'sessionDetails', instructors: 'x'.repeat(301), location: '' },
    });
    const bad = await con.next<{ t: 'error'; message: string }>(
      (m) => m.t === 'error' && m.id === badId,
    );
    expect(bad.message).toMatch(/instructors/);
    expect(readDb("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'sessionDetails'")).toEqual([
      { n: 2 },
    ]);
    // A restart keeps them.
    await con.close();
    await app.stop();
    app = await startTestApp({ dataDir: app.dataDir });
    expect(app.classroom.consoleView().session!.details).toEqual({
      instructors: 'Sgt. R. Diaz; Det. K. Ames',
      location: 'Academy room 2',
    });
  });
});
