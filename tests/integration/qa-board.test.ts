/**
 * The Q&A board: questions wait for approval, votes count once, and an anonymous question has no
 * link to its author.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client, joinTrainee, msgId, openConsole } from '../helpers/clients';
import { BOARD_INTERVAL_MS } from '../../main/server/phone-views';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.stop();
});

const readDb = (sql: string, ...params: unknown[]) => readRecords(app.dataDir, sql, ...params);

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

  it('votes spread over several board periods reach the phones coalesced, at most one board view per period, the last with every vote', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    const room = app.classroom.engine.session!.roomCode;
    const asker = await joinTrainee(app.lanUrl, room, { name: 'Asker', officerId: 'QV0' });
    const ask = msgId();
    asker.send({ t: 'ask', id: ask, text: 'Can we call after hours?', anonymous: false });
    await asker.next((m) => m.t === 'ack' && m.id === ask);
    const [item] = app.classroom.consoleView().session!.qa;
    expect((await con.cmd({ type: 'qa', qaId: item.id, action: 'approve' })).ok).toBe(true);
    await asker.next((m) => m.t === 'view' && (m as { qa?: unknown[] }).qa?.length === 1);
    const VOTERS = 8;
    const voters: Client[] = [];
    for (let i = 1; i <= VOTERS; i++)
      voters.push(await joinTrainee(app.lanUrl, room, { name: `Voter ${i}`, officerId: `QV${i}` }));

    // One vote every 120 ms: about four of the 250 ms periods.
    const from = asker.messages.length;
    const started = Date.now();
    for (const v of voters) {
      v.send({ t: 'vote', qaId: item.id, id: msgId() });
      await new Promise((r) => setTimeout(r, 120));
    }
    const votesOf = (m: object) => (m as { qa?: { votes: number }[] }).qa?.[0]?.votes ?? -1;
    await asker.next((m) => m.t === 'view' && votesOf(m) === VOTERS, 5000, from);
    const elapsed = Date.now() - started;
    const boards = asker.messages.slice(from).filter((m) => m.t === 'view');
    // Several periods each brought the board up to date, never one view per vote …
    expect(boards.length).toBeGreaterThanOrEqual(2);
    expect(boards.length).toBeLessThan(VOTERS);
    // … and never more than one per period of the time the votes took.
    expect(boards.length).toBeLessThanOrEqual(Math.ceil(elapsed / BOARD_INTERVAL_MS) + 1);
    const counts = boards.map(votesOf);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
    expect(counts.at(-1)).toBe(VOTERS);
    expect(readDb('SELECT votes FROM qa_questions')).toEqual([{ votes: VOTERS }]);
    await Promise.all([asker.close(), ...voters.map((v) => v.close()), con.close()]);
  });
});
