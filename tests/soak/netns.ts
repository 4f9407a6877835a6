/**
 * Venue Wi-Fi on this machine: the phones live in their own network namespace, each with its own
 * address, joined to this one by a veth pair whose both ends carry `tc netem` (delay with jitter,
 * loss, a shared rate). Traffic never leaves the machine. Needs root (as CI runs); where
 * namespaces or netem are not allowed, says so and the soak runs on loopback instead.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface WifiSpec {
  /** One-way delay and its jitter, per direction (so the round trip is about twice). */
  delayMs: number;
  jitterMs: number;
  /** Loss per direction, percent. */
  lossPercent: number;
  rateMbit: number;
}

/** About 80 ms ± 40 ms round trip, 3 % loss, 20 Mbit/s shared: a crowded venue network. */
export const VENUE_WIFI: WifiSpec = { delayMs: 40, jitterMs: 20, lossPercent: 1.5, rateMbit: 20 };

export interface PhoneNet {
  /** `ip netns exec <ns>` prefix for the phones' processes; empty on loopback. */
  exec: string[];
  /** The address phones reach the laptop at. */
  serverHost: string;
  /** One source address per phone (undefined on loopback). */
  phoneAddresses?: string[];
  /** What is emulated, in words, for the report. */
  description: string;
  /**
   * Delay, jitter and loss the phones must apply themselves (this kernel has no `tc netem`);
   * null when the kernel emulates them.
   */
  link: Omit<WifiSpec, 'rateMbit'> | null;
  cleanup(): void;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'pipe' }).toString();

export function phoneNetwork(phones: number, spec: WifiSpec = VENUE_WIFI): PhoneNet {
  const loopback = (why: string): PhoneNet => ({
    exec: [],
    serverHost: '127.0.0.1',
    description: `loopback (${why}); the phones apply ${spec.delayMs * 2} ms ± ${spec.jitterMs * 2} ms round trip and ${spec.lossPercent * 2} % loss themselves, no shared rate limit`,
    link: { delayMs: spec.delayMs, jitterMs: spec.jitterMs, lossPercent: spec.lossPercent },
    cleanup: () => undefined,
  });
  if (process.platform !== 'linux') return loopback('network namespaces need Linux');
  if (process.getuid?.() !== 0) return loopback('network namespaces need root');
  const id = `${process.pid % 100000}`;
  // Its own /16 per run, so two soaks on one machine never route into each other.
  const net = 100 + (process.pid % 150);
  const ns = `muster-soak-${id}`;
  const host = `msh${id}`;
  const phone = `msp${id}`;
  const cleanup = () => {
    for (const [cmd, args] of [
      ['ip', ['link', 'del', host]],
      ['ip', ['netns', 'del', ns]],
    ] as [string, string[]][])
      try {
        run(cmd, args);
      } catch {
        // already gone
      }
  };
  try {
    run('ip', ['netns', 'add', ns]);
    run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', phone]);
    run('ip', ['link', 'set', phone, 'netns', ns]);
    run('ip', ['addr', 'add', `10.${net}.0.1/16`, 'dev', host]);
    run('ip', ['link', 'set', host, 'up']);
    // One address per phone, added in one batch (hundreds of `ip` calls would take seconds).
    const addresses = Array.from(
      { length: phones },
      (_, i) => `10.${net}.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
    );
    const batch = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-netns-')), 'addrs');
    fs.writeFileSync(
      batch,
      [
        `link set lo up`,
        `link set ${phone} up`,
        ...addresses.map((a) => `addr add ${a}/16 dev ${phone}`),
      ].join('\n') + '\n',
    );
    run('ip', ['-n', ns, '-batch', batch]);
  } catch (e) {
    cleanup();
    return loopback(`could not make a network namespace: ${(e as Error).message.split('\n')[0]}`);
  }
  const wifi = `${spec.delayMs * 2} ms ± ${spec.jitterMs * 2} ms round trip, ${spec.lossPercent * 2} % loss, ${spec.rateMbit} Mbit/s shared`;
  const netem = [
    'netem',
    'delay',
    `${spec.delayMs}ms`,
    `${spec.jitterMs}ms`,
    'loss',
    `${spec.lossPercent}%`,
    'rate',
    `${spec.rateMbit}mbit`,
  ];
  const tbf = ['tbf', 'rate', `${spec.rateMbit}mbit`, 'burst', '64kb', 'latency', '500ms'];
  const both = (qdisc: string[]) => {
    run('tc', ['qdisc', 'add', 'dev', host, 'root', ...qdisc]);
    run('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', phone, 'root', ...qdisc]);
  };
  const phoneAddresses = Array.from(
    { length: phones },
    (_, i) => `10.${net}.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
  );
  const base = {
    exec: ['ip', 'netns', 'exec', ns],
    serverHost: `10.${net}.0.1`,
    phoneAddresses,
    cleanup,
  };
  try {
    both(netem);
    return {
      ...base,
      description: `network namespace, ${phones} phone addresses; venue Wi-Fi ${wifi} (tc netem on both ends of the veth)`,
      link: null,
    };
  } catch (e) {
    // This kernel has no netem (sch_netem): the shared rate is the kernel's (tbf), the delay,
    // jitter and loss are applied by the phones' processes to every chunk each way.
    const why = (e as Error).message.split('\n').find((l) => /Error/.test(l)) ?? 'refused';
    let rate = `${spec.rateMbit} Mbit/s shared by tbf on both ends of the veth`;
    try {
      both(tbf);
    } catch {
      rate = 'no shared rate limit (tbf refused too)';
    }
    return {
      ...base,
      description: `network namespace, ${phones} phone addresses; tc netem not in this kernel (${why.trim()}): ${spec.delayMs * 2} ms ± ${spec.jitterMs * 2} ms round trip and ${spec.lossPercent * 2} % loss applied by the phones to every chunk each way, ${rate}`,
      link: { delayMs: spec.delayMs, jitterMs: spec.jitterMs, lossPercent: spec.lossPercent },
    };
  }
}
