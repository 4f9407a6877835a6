/** The records server benchmark's measuring tools (tests/bench/records-server*.ts). */
export const step = (what: string) => process.stderr.write(`bench records-server: ${what}\n`);
export const now = () => Number(process.hrtime.bigint()) / 1e6;
export const round = (x: number) => Math.round(x * 10) / 10;
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
};

export async function until(what: string, f: () => boolean, ms = 600_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Best and worst of three runs, ms. */
export async function timed(
  f: () => Promise<unknown>,
): Promise<{ bestMs: number; worstMs: number }> {
  const t: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = now();
    await f();
    t.push(now() - s);
  }
  return { bestMs: round(Math.min(...t)), worstMs: round(Math.max(...t)) };
}
