/** The "done when" figures as a table: target, Muster, the floor beside it, and whether it holds. */
import type { CpuMark as Cpu } from './lib';

interface Run {
  allJoinedMs: number;
  halfJoinedMs: number;
  joinListenOverflows: number | null;
  pushLatencyMs: { p99: number };
  lastAnswerToConsoleMs: number;
  cpuMsPerPhone: { join: Cpu; answer: Cpu };
}
interface Out {
  loadAverage: number[];
  sizes: {
    trainees: number;
    muster: Run & {
      answersLost: number;
      serverIdleRssMb: number;
      serverIdleRssAt1sMb: number;
      serverPeakRssMb: number;
      lanListenBacklog: number | null;
      nextClasses?: {
        allJoinedMs: number;
        joinListenOverflows: number | null;
        lastAnswerToConsoleMs: number;
        cpuMsPerPhone: { join: Cpu; answer: Cpu };
        answersLost: number;
      }[];
    };
    floor: Run;
  }[];
  traineePage: { firstLoadKB: number; interactiveMs: number; floorInteractiveMs: number };
}

export function printTargets(o: Out): void {
  const rows: string[][] = [['figure', 'target', 'Muster', 'floor', 'holds']];
  const add = (
    figure: string,
    target: string,
    muster: number | string,
    floor: number | string,
    holds: boolean | null,
  ) =>
    rows.push([
      figure,
      target,
      String(muster),
      String(floor),
      holds === null ? '—' : holds ? 'yes' : 'NO',
    ]);
  /**
   * Server CPU per phone, all threads (main thread / records' writer thread; the rest is V8's and
   * libuv's helpers): what the wall-clock figures are made of. The floor has no writer.
   */
  const cpu = (c: Cpu, writer: boolean) =>
    `${c.server.toFixed(2)} (${c.serverMain.toFixed(2)} / ${writer ? c.serverWriter.toFixed(2) : '—'})`;
  const p = o.traineePage;
  add('trainee page first load, KB compressed', '≤ 60', p.firstLoadKB, '—', p.firstLoadKB <= 60);
  add(
    'trainee page interactive, ms (400 ms RTT, 400 kbit/s)',
    '≤ 2000',
    p.interactiveMs,
    p.floorInteractiveMs,
    p.interactiveMs <= 2000,
  );
  for (const s of o.sizes) {
    const m = s.muster;
    const f = s.floor;
    const n = s.trainees;
    add(
      `${n}: all joined, ms`,
      '≤ 1.5× floor',
      m.allJoinedMs,
      f.allJoinedMs,
      m.allJoinedMs <= 1.5 * f.allJoinedMs,
    );
    add(`${n}: half joined, ms`, '—', m.halfJoinedMs, f.halfJoinedMs, null);
    add(
      `${n}: joins turned away (listen queue full), retried after 1 s`,
      '—',
      m.joinListenOverflows ?? '—',
      f.joinListenOverflows ?? '—',
      null,
    );
    const lastTarget = n <= 500 ? 100 : 250;
    add(
      `${n}: last answer → console, ms`,
      `≤ ${lastTarget}`,
      m.lastAnswerToConsoleMs,
      f.lastAnswerToConsoleMs,
      m.lastAnswerToConsoleMs <= lastTarget,
    );
    add(
      `${n}: push p99, ms`,
      '≤ 1.2× floor',
      m.pushLatencyMs.p99,
      f.pushLatencyMs.p99,
      m.pushLatencyMs.p99 <= 1.2 * f.pushLatencyMs.p99,
    );
    add(`${n}: answers lost`, '0', m.answersLost, '—', m.answersLost === 0);
    // `--classes K`: the same server's later classes, as later in a day (not what the targets read).
    for (const [i, c] of (m.nextClasses ?? []).entries()) {
      const which = `${n}: class ${i + 2} on the same server`;
      add(
        `${which}: all joined, ms (turned away)`,
        '—',
        `${c.allJoinedMs} (${c.joinListenOverflows ?? '—'})`,
        `${f.allJoinedMs} (${f.joinListenOverflows ?? '—'})`,
        null,
      );
      add(
        `${which}: last answer → console, ms (answers lost)`,
        '—',
        `${c.lastAnswerToConsoleMs} (${c.answersLost})`,
        f.lastAnswerToConsoleMs,
        null,
      );
      add(
        `${which}: server CPU per join / answer, ms`,
        '—',
        `${c.cpuMsPerPhone.join.server.toFixed(2)} / ${c.cpuMsPerPhone.answer.server.toFixed(2)}`,
        `${f.cpuMsPerPhone.join.server.toFixed(2)} / ${f.cpuMsPerPhone.answer.server.toFixed(2)}`,
        null,
      );
    }
    for (const phase of ['join', 'answer'] as const)
      add(
        `${n}: server CPU per ${phase}, ms (main / writer thread)`,
        '—',
        cpu(m.cpuMsPerPhone[phase], true),
        cpu(f.cpuMsPerPhone[phase], false),
        null,
      );
    add(
      `${n}: phones' CPU per join / answer, ms`,
      '—',
      `${m.cpuMsPerPhone.join.phones.toFixed(2)} / ${m.cpuMsPerPhone.answer.phones.toFixed(2)}`,
      `${f.cpuMsPerPhone.join.phones.toFixed(2)} / ${f.cpuMsPerPhone.answer.phones.toFixed(2)}`,
      null,
    );
    if (n === 500) {
      add(
        `${n}: server RSS idle (10 s quiet), MB`,
        '≤ 80',
        m.serverIdleRssMb,
        '—',
        m.serverIdleRssMb <= 80,
      );
      add(
        `${n}: server RSS 1 s after the session opened, MB`,
        '—',
        m.serverIdleRssAt1sMb,
        '—',
        null,
      );
      add(`${n}: server RSS peak, MB`, '≤ 150', m.serverPeakRssMb, '—', m.serverPeakRssMb <= 150);
    }
    add(
      `${n}: room listener's backlog (kernel)`,
      '≥ 4096',
      m.lanListenBacklog ?? NaN,
      '—',
      (m.lanListenBacklog ?? 0) >= 4096,
    );
  }
  const width = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const text = rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(width[c]) : cell.padStart(width[c]))).join('  '),
    )
    .join('\n');
  console.log(
    `\nload average while measured: ${o.loadAverage.join(', ')} (2 cores, shared)\n${text}`,
  );
}
