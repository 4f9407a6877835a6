// One bench process holding a share of the simulated trainees (real WebSocket clients).
// Times are process.hrtime.bigint(): CLOCK_MONOTONIC, the same clock in every process on the machine.
import crypto from 'node:crypto';
import WebSocket from 'ws';

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
const sockets = [];
let floor = [];

function open(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function join({ url, roomCode, from, count }) {
  const started = now();
  const results = await Promise.all(
    Array.from({ length: count }, async (_, k) => {
      const i = from + k;
      const ws = await open(url);
      let welcomed;
      const welcome = new Promise((r) => (welcomed = r));
      const t = {
        ws,
        i,
        welcomeAt: 0,
        questionAt: 0,
        runId: null,
        sentAt: 0,
        ackAt: 0,
        errors: 0,
        assessment: null,
        assessmentAt: 0,
        acks: new Map(),
      };
      ws.on('message', (data) => {
        const at = now();
        const m = JSON.parse(String(data));
        if (process.env.BENCH_DEBUG) console.error('worker got', String(data).slice(0, 120));
        if (m.t === 'view' && m.assessment?.open && !t.assessmentAt) {
          t.assessmentAt = at;
          t.assessment = m.assessment;
        }
        if (m.t === 'ack') t.acks.set(m.id, at);
        if (m.t === 'welcome') {
          t.welcomeAt = at;
          welcomed();
        } else if (m.t === 'view' && m.question?.open && !t.questionAt) {
          t.questionAt = at;
          t.runId = m.question.runId;
        } else if (m.t === 'ack') t.ackAt = at;
        else if (m.t === 'error') t.errors++;
      });
      ws.send(
        JSON.stringify({
          t: 'join',
          name: `Trainee ${i}`,
          officerId: `B${String(i).padStart(5, '0')}`,
          agency: 'Bench PD',
          roomCode,
          // As a real phone does: a token it made for itself (192 bits, base64url).
          token: crypto.randomBytes(24).toString('base64url'),
        }),
      );
      sockets.push(t);
      await Promise.race([
        welcome,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('no welcome in 60 s')), 60_000).unref(),
        ),
      ]);
      return t.welcomeAt;
    }),
  );
  return { started, welcomeAts: results };
}

function waitFor(pred, timeoutMs) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (pred()) return resolve();
      if (Date.now() - t0 > timeoutMs) return reject(new Error('timed out'));
      setTimeout(tick, 2);
    };
    tick();
  });
}

/** Everyone answers; at once, or (spreadMs) spread evenly over that long, as people really type. */
async function answer({ options, spreadMs = 0 }) {
  const send = (t) => {
    t.sentAt = now();
    t.ws.send(
      JSON.stringify({
        t: 'answer',
        id: `bench${t.i}x${Math.random().toString(36).slice(2, 8)}`,
        runId: t.runId,
        value: options[t.i % options.length],
      }),
    );
  };
  if (!spreadMs) for (const t of sockets) send(t);
  else
    await Promise.all(
      sockets.map(
        (t, k) => new Promise((r) => setTimeout(() => r(send(t)), (k / sockets.length) * spreadMs)),
      ),
    );
  await waitFor(() => sockets.every((t) => t.ackAt > 0 || t.errors > 0), 30_000).catch(
    () => undefined,
  );
  return {
    sentAts: sockets.map((t) => t.sentAt),
    ackAts: sockets.map((t) => t.ackAt),
    errors: sockets.reduce((n, t) => n + t.errors, 0),
  };
}

/** The phone's view of the assessment arrived: when, for each socket. */
async function assessmentTimes() {
  await waitFor(() => sockets.every((t) => t.assessmentAt > 0), 30_000).catch(() => undefined);
  return { assessmentAts: sockets.map((t) => t.assessmentAt) };
}

/**
 * Every phone sends all its answers and its hand-in in one burst, as a phone that took the whole
 * test offline does when it reconnects. `values` gives an answer per question.
 */
async function takeAssessment({ values }) {
  const sent = [];
  for (const t of sockets) {
    const a = t.assessment;
    if (!a) continue;
    a.questions.forEach((q, k) => {
      const id = `ba${t.i}q${k}x${Math.random().toString(36).slice(2, 8)}`;
      sent.push({ t, id, at: now() });
      t.ws.send(JSON.stringify({ t: 'answer', id, runId: q.runId, value: values[k] }));
    });
    const id = `bs${t.i}x${Math.random().toString(36).slice(2, 8)}`;
    sent.push({ t, id, at: now(), submit: true });
    t.ws.send(JSON.stringify({ t: 'submit', id, assessmentId: a.id }));
  }
  await waitFor(() => sent.every((s) => s.t.acks.has(s.id)), 30_000).catch(() => undefined);
  return {
    answersSent: sent.filter((s) => !s.submit).length,
    submitsSent: sent.filter((s) => s.submit).length,
    ackMs: sent.filter((s) => s.t.acks.has(s.id)).map((s) => s.t.acks.get(s.id) - s.at),
    lastSubmitAt: Math.max(...sent.filter((s) => s.submit).map((s) => s.at)),
    errors: sockets.reduce((n, t) => n + t.errors, 0),
  };
}

async function floorOpen({ url, count }) {
  floor = await Promise.all(
    Array.from({ length: count }, async () => {
      const ws = await open(url);
      const f = { ws, at: [] };
      ws.on('message', () => f.at.push(now()));
      return f;
    }),
  );
  return { opened: floor.length };
}

process.on('message', async (msg) => {
  try {
    let result;
    if (msg.cmd === 'join') result = await join(msg);
    else if (msg.cmd === 'resetQuestion') {
      for (const t of sockets) t.questionAt = 0;
      result = {};
    } else if (msg.cmd === 'questionTimes') {
      await waitFor(() => sockets.every((t) => t.questionAt > 0), 30_000).catch(() => undefined);
      result = { questionAts: sockets.map((t) => t.questionAt) };
    } else if (msg.cmd === 'answer') result = await answer(msg);
    else if (msg.cmd === 'assessmentTimes') result = await assessmentTimes();
    else if (msg.cmd === 'takeAssessment') result = await takeAssessment(msg);
    else if (msg.cmd === 'floorOpen') result = await floorOpen(msg);
    else if (msg.cmd === 'floorTimes') {
      await waitFor(() => floor.every((f) => f.at.length >= msg.rounds), 30_000).catch(
        () => undefined,
      );
      result = { times: floor.map((f) => f.at) };
    } else if (msg.cmd === 'closeAll') {
      // Between class sizes and before the floor: every socket of this process is closed and forgotten.
      await Promise.all(
        [...sockets, ...floor].map(
          (t) =>
            new Promise((r) =>
              t.ws.readyState === 3 ? r() : (t.ws.once('close', r), t.ws.terminate()),
            ),
        ),
      );
      sockets.length = 0;
      floor = [];
      result = {};
    } else if (msg.cmd === 'exit') {
      for (const t of sockets) t.ws.terminate();
      for (const f of floor) f.ws.terminate();
      process.exit(0);
    }
    process.send({ id: msg.id, ok: true, result });
  } catch (e) {
    process.send({ id: msg.id, ok: false, error: String(e) });
  }
});
process.send({ ready: true });
