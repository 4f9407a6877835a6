/** The classroom benchmark's scenarios beyond join/push/answer: word cloud, self-paced test, slide changes, a 300-slide deck. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { consoleClient, now, pct, round, startServer, withTimeout } from './lib';
import type { ConsoleClient, Worker } from './lib';
import { tempDir } from './procs';

/**
 * Everyone answers an open word-cloud question at once. While answers arrive the projector must
 * update at least 5 times a second (no gap over 200 ms), and show the final count soon after the last.
 */
export async function wordCloud(
  server: { consolePort: string; token: string },
  con: ConsoleClient,
  workers: Worker[],
  N: number,
  spreadMs = 0,
) {
  const deck = (await (
    await fetch(
      `http://127.0.0.1:${server.consolePort}/api/decks/demo/01-welcome.md?token=${server.token}`,
    )
  ).json()) as { slides: { question: { type: string } | null }[] };
  const index = deck.slides.findIndex((sl) => sl.question?.type === 'text');
  await con.cmd({ type: 'closeQuestion' }).done;
  await con.cmd({ type: 'goto', index }).done;
  const proj = new WebSocket(
    `ws://127.0.0.1:${server.consolePort}/ws/instructor?role=projector&token=${server.token}`,
    { perMessageDeflate: false },
  );
  const updates: { at: number; answered: number }[] = [];
  proj.on('message', (d) => {
    const at = now();
    const m = JSON.parse(String(d)) as { t: string; results?: { answered: number } | null };
    if (m.t === 'projector' && m.results) updates.push({ at, answered: m.results.answered });
  });
  await new Promise((r) => proj.once('open', r));
  await Promise.all(workers.map((w) => w.call({ cmd: 'resetQuestion' })));
  await con.cmd({ type: 'openQuestion' }).done;
  await Promise.all(workers.map((w) => w.call({ cmd: 'questionTimes' })));
  const words = [
    'victim-centred',
    'indicators',
    'safety',
    'task force',
    'evidence',
    'trust',
    'questions',
    'patrol',
    'resources',
    'labour',
  ];
  const sent = await Promise.all(
    workers.map((w) => w.call<{ sentAts: number[] }>({ cmd: 'answer', options: words, spreadMs })),
  );
  const firstSent = Math.min(...sent.flatMap((a) => a.sentAts));
  const lastSent = Math.max(...sent.flatMap((a) => a.sentAts));
  const deadline = Date.now() + 5000;
  while (!updates.some((u) => u.answered === N) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 5));
  const final = updates.find((u) => u.answered === N);
  const during = updates.filter((u) => u.at >= firstSent && (!final || u.at <= final.at));
  // From the first answer sent to each update in turn: the longest the room waited for news.
  const times = [firstSent, ...during.map((u) => u.at)];
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  proj.close();
  const windowMs = (final?.at ?? NaN) - firstSent;
  return {
    answers: N,
    answersSpreadOverMs: spreadMs,
    answeringWindowMs: round(windowMs),
    projectorUpdatesWhileAnswering: during.length,
    projectorUpdatesPerSecond: round((during.length / windowMs) * 1000),
    maxGapBetweenUpdatesMs: gaps.length ? round(Math.max(...gaps)) : null,
    finalShownAfterLastAnswerMs: round((final?.at ?? NaN) - lastSent),
  };
}

/**
 * A self-paced test: the instructor starts it (click → every phone has it), then every phone sends
 * all its answers and its hand-in at once (a class that took it offline, reconnecting together).
 */
export async function selfPaced(con: ConsoleClient, workers: Worker[], N: number, dataDir: string) {
  await con.cmd({ type: 'closeQuestion' }).done;
  const open = con.cmd({ type: 'openAssessment', key: 'check' });
  await open.done;
  const times = await Promise.all(
    workers.map((w) => w.call<{ assessmentAts: number[] }>({ cmd: 'assessmentTimes' })),
  );
  const push = times.flatMap((t) => t.assessmentAts.map((at) => at - open.sentAt));
  const allIn = con.until(
    (m) => m.t === 'console' && m.session?.assessment?.submitted === N,
    'console counts every hand-in',
  );
  const values = [
    true,
    'Correct answers only',
    ['Check-in and check-out times', 'Your answers'],
    6,
    true,
  ];
  const took = await Promise.all(
    workers.map((w) =>
      w.call<{
        answersSent: number;
        submitsSent: number;
        ackMs: number[];
        lastSubmitAt: number;
        errors: number;
      }>({ cmd: 'takeAssessment', values }),
    ),
  );
  const consoleAt = await allIn.catch(() => NaN);
  const acks = took.flatMap((t) => t.ackMs);
  const sent = took.reduce((n, t) => n + t.answersSent, 0);
  await con.cmd({ type: 'closeAssessment' }).done;
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  const stored = (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM responses r JOIN question_runs q ON q.id = r.run_id WHERE q.assessment_id IS NOT NULL`,
      )
      .get() as { n: number }
  ).n;
  const handedIn = (
    db.prepare(`SELECT COUNT(*) AS n FROM assessment_submissions`).get() as { n: number }
  ).n;
  db.close();
  return {
    questions: values.length,
    pushToPhonesMs: { p50: pct(push, 50), p99: pct(push, 99), max: pct(push, 100) },
    answersSent: sent,
    answersStored: stored,
    answersLost: sent - stored,
    handInsStored: handedIn,
    ackMs: { p50: pct(acks, 50), p99: pct(acks, 99), max: pct(acks, 100) },
    lastHandInToConsoleMs: round(consoleAt - Math.max(...took.map((t) => t.lastSubmitAt))),
    errors: took.reduce((n, t) => n + t.errors, 0),
  };
}

/** Console "next"/"prev" to the projector's receipt of the new slide, over real sockets. */
export async function measureSlideChanges(
  server: { consolePort: string; token: string },
  con: ConsoleClient,
  changes = 60,
) {
  const proj = new WebSocket(
    `ws://127.0.0.1:${server.consolePort}/ws/instructor?role=projector&token=${server.token}`,
    { perMessageDeflate: false },
  );
  let waiting: { index: number; resolve: (at: number) => void } | null = null;
  proj.on('message', (d) => {
    const at = now();
    const m = JSON.parse(String(d)) as { t: string; slide?: { index: number } };
    if (waiting && m.t === 'projector' && m.slide?.index === waiting.index) {
      waiting.resolve(at);
      waiting = null;
    }
  });
  await new Promise((r) => proj.once('open', r));
  const start = con.last()?.session?.slideIndex ?? 0;
  const latencies: number[] = [];
  for (let i = 0; i < changes; i++) {
    const forward = i % 2 === 0;
    const index = forward ? start + 1 : start;
    const seen = withTimeout(
      new Promise<number>((resolve) => (waiting = { index, resolve })),
      10_000,
      'projector slide',
    );
    const c = con.cmd({ type: forward ? 'next' : 'prev' });
    latencies.push((await seen) - c.sentAt);
    await c.done;
  }
  proj.close();
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), samples: latencies.length };
}

/**
 * A 300-slide deck: how long the server takes to start with it (loading and rendering all content),
 * and from "Start session" to the projector holding the first slide.
 */
export async function bigDeck() {
  const dir = tempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-deck-')));
  const course = path.join(dir, 'big');
  fs.mkdirSync(course);
  fs.writeFileSync(
    path.join(course, 'course.yaml'),
    'id: big\ntitle: Big course\nmodules:\n  - file: big.md\n    title: Big deck\n    minutes: 300\n',
  );
  const slides = Array.from({ length: 300 }, (_, i) =>
    i % 10 === 9
      ? `<!-- id: q-${i} -->\n\`\`\`question\nid: big-q-${i}\ntype: single\nprompt: "Question ${i}?"\noptions: ["A", "B", "C", "D"]\ncorrect: "B"\n\`\`\`\n\nNotes:\nAsk it.`
      : `<!-- id: s-${i} -->\n# Slide ${i + 1}\n\n- A point about **topic ${i}**\n- Another point, with a [link](https://example.org)\n- A third point\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNotes:\nSay something about slide ${i + 1}.`,
  );
  fs.writeFileSync(
    path.join(course, 'big.md'),
    `---\ntitle: Big deck\n---\n${slides.join('\n---\n')}\n`,
  );
  const dataDir = tempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-big-')));
  const spawned = now();
  const server = await startServer(dataDir, dir);
  const serverReadyMs = round(now() - spawned);
  const con = consoleClient(
    `ws://127.0.0.1:${server.consolePort}/ws/instructor?role=console&token=${server.token}`,
  );
  const proj = new WebSocket(
    `ws://127.0.0.1:${server.consolePort}/ws/instructor?role=projector&token=${server.token}`,
    { perMessageDeflate: false },
  );
  await Promise.all([con.opened, new Promise((r) => proj.once('open', r))]);
  const first = withTimeout(
    new Promise<number>((resolve) =>
      proj.on('message', (d) => {
        const m = JSON.parse(String(d)) as { t: string; slide?: { id: string } };
        if (m.t === 'projector' && m.slide?.id === 's-0') resolve(now());
      }),
    ),
    10_000,
    'first slide of the big deck',
  );
  const c = con.cmd({ type: 'startSession', deck: { course: 'big', file: 'big.md' } });
  const firstSlideMs = round((await first) - c.sentAt);
  const slideCount = (await (
    await fetch(`http://127.0.0.1:${server.consolePort}/api/decks/big/big.md?token=${server.token}`)
  ).json()) as { slides: unknown[] };
  proj.close();
  con.ws.close();
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { slides: slideCount.slides.length, serverReadyMs, firstSlideMs };
}
