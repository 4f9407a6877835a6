/**
 * The trainee page on a weak signal. Against a running `muster serve`:
 * - its first load over HTTP as a phone asks for it (Accept-Encoding: br, gzip): the HTML, then
 *   every script, module preload and stylesheet it names, summed as sent on the wire;
 * - time to interactive in Chromium, the network throttled by the DevTools protocol to 400 ms
 *   round trip and 400 kbit/s each way, no cache: from navigation to the first frame in which the
 *   join form, drawn by the page's script, is there (so typing and "Join" work); then a name is
 *   typed to prove it;
 * - beside it, the floor: the same measure for a page of nothing but a static join form (one
 *   round trip and a few hundred bytes, no script), served over the same throttled link.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { median, round } from './lib';
import { onEnd } from './procs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WEAK_SIGNAL = {
  latency: 400,
  downloadThroughput: 400_000 / 8,
  uploadThroughput: 400_000 / 8,
};

/** One GET as a phone sends it; the body as it crossed the wire (not decoded). */
function rawGet(url: URL): Promise<{ encoding: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'Accept-Encoding': 'br, gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve({
                encoding: String(res.headers['content-encoding'] ?? 'identity'),
                body: Buffer.concat(chunks),
              })
            : reject(new Error(`${url.pathname}: HTTP ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });
}

/** The page's first load as a phone fetches it: each file's bytes on the wire, compressed. */
export async function firstLoad(
  origin: string,
  pathname: string,
): Promise<{ files: { path: string; encoding: string; bytes: number }[]; totalKB: number }> {
  const html = await fetch(new URL(pathname, origin)).then((r) => r.text());
  const refs = [
    pathname,
    ...new Set(
      [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/assets\/[^"]+)"/g)].map(
        (m) => m[1],
      ),
    ),
  ];
  const files: { path: string; encoding: string; bytes: number }[] = [];
  for (const ref of refs) {
    const f = await rawGet(new URL(ref, origin));
    files.push({ path: ref, encoding: f.encoding, bytes: f.body.length });
  }
  return { files, totalKB: round(files.reduce((n, f) => n + f.bytes, 0) / 1024) };
}

async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  onEnd(() => browser.close());
  return browser;
}

/** One cold load on a throttled phone: ms from navigation to the join form drawn, and the bytes received. */
async function coldLoad(
  browser: Browser,
  url: string,
  ready: string,
): Promise<{ ms: number; wireKB: number }> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  try {
    const page: Page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...WEAK_SIGNAL });
    let wire = 0;
    cdp.on(
      'Network.loadingFinished',
      (e: { encodedDataLength: number }) => (wire += e.encodedDataLength),
    );
    const goto = page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    // performance.now() counts from navigation start; polled every frame.
    const ms = (
      await page.waitForFunction(
        (sel) => (document.querySelector(sel) ? performance.now() : 0),
        ready,
        { polling: 'raf', timeout: 60_000 },
      )
    ).jsonValue();
    const at = (await ms) as number;
    await goto;
    // Interactive, not just painted: the field takes typing.
    const field = page.locator(`${ready} input[name=name]`);
    await field.fill('Ready Check');
    if ((await field.inputValue()) !== 'Ready Check')
      throw new Error('the join form did not take typing');
    await page.waitForLoadState('load');
    return { ms: round(at), wireKB: round(wire / 1024) };
  } finally {
    await context.close();
  }
}

/** A static join form and nothing else: the network's own floor for "a form a phone can type into". */
function floorPage(): Promise<{ url: string; close: () => Promise<void> }> {
  const html =
    '<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Join</title><form class="join-form"><label>Name <input name="name"></label><label>Officer ID <input name="officerId"></label><label>Agency <input name="agency"></label><label>Room code <input name="roomCode"></label><button>Join</button></form></html>';
  const server = http.createServer((_req, res) =>
    res
      .writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(html),
      })
      .end(html),
  );
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const close = onEnd(
        () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
      );
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close });
    }),
  );
}

/** Median of `runs` cold loads of the trainee page and of the floor page, alternating. */
export async function timeToInteractive(
  joinUrl: string,
  runs = 5,
): Promise<{ ms: number; runsMs: number[]; wireKB: number; floorMs: number }> {
  const browser = await launch();
  const floor = await floorPage();
  try {
    const page: number[] = [];
    const floorMs: number[] = [];
    let wireKB = 0;
    // One load to warm Chromium itself (its first context is slow to start), not counted.
    await coldLoad(browser, floor.url, 'form.join-form');
    for (let i = 0; i < runs; i++) {
      const r = await coldLoad(browser, joinUrl, 'form.join-form');
      page.push(r.ms);
      wireKB = r.wireKB;
      floorMs.push((await coldLoad(browser, floor.url, 'form.join-form')).ms);
    }
    return { ms: median(page), runsMs: page, wireKB, floorMs: median(floorMs) };
  } finally {
    await floor.close();
    await browser.close();
  }
}
