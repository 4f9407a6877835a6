import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type axe from 'axe-core';
import type { TestApp } from './app';

const require = createRequire(import.meta.url);
/** axe-core injected as a script (its Playwright wrapper needs Node 22). */
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

type AxeWindow = { axe: typeof axe };

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (tags) => {
    const r = await (window as unknown as AxeWindow).axe.run(document, {
      runOnly: { type: 'tag', values: tags },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map(
        (n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`,
      ),
    }));
  }, WCAG_AA);
}

/**
 * A phone for accessibility checks: like phoneContext, but the page's Content-Security-Policy is
 * bypassed so axe.min.js can be added as a script tag (the app's CSP allows only its own scripts).
 */
export function a11yPhoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    bypassCSP: true,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
  });
}

export interface LayoutReport {
  /** Pairs of visible elements whose boxes overlap (neither contains the other; a sticky bar floats over the rest). */
  overlaps: string[];
  /** Buttons and inputs smaller than 48 × 48 CSS px. */
  smallTargets: string[];
  /** Elements or text that reach past the right edge, or a page that scrolls sideways. */
  overflow: string[];
}

/** Measures the page as laid out now: overlaps, small touch targets, sideways overflow. */
export function layoutReport(page: Page, minTarget = 48): Promise<LayoutReport> {
  return page.evaluate((min) => {
    const vw = document.documentElement.clientWidth;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}("${(el.textContent ?? '').trim().slice(0, 30)}")`;
    const shown = (el: Element) => {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      return (
        r.width > 1 &&
        r.height > 1 &&
        cs.visibility !== 'hidden' &&
        cs.display !== 'none' &&
        !el.closest('.visually-hidden')
      );
    };
    const els = [
      ...document.querySelectorAll(
        'h1, h2, p, label, button, input, select, .brand, .net, li > span, .hint, .scale-labels span',
      ),
    ].filter(shown);
    const overlaps: string[] = [];
    const smallTargets: string[] = [];
    const overflow: string[] = [];
    if (document.documentElement.scrollWidth > vw + 1)
      overflow.push(
        `page is ${document.documentElement.scrollWidth} px wide in a ${vw} px viewport`,
      );
    // Text boxes: the extent of the element's text, which can spill out of a box that is too small.
    const textBox = (el: Element) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect();
    };
    for (const el of els) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1) overflow.push(`${name(el)} ends at ${Math.round(r.right)} px`);
      if (el.matches('button, input, select')) {
        if (r.height < min - 0.5 || r.width < min - 0.5)
          smallTargets.push(`${name(el)} is ${Math.round(r.width)}×${Math.round(r.height)}`);
        const t = textBox(el);
        if (
          t.width > 0 &&
          (t.right > r.right + 1 || t.left < r.left - 1 || t.bottom > r.bottom + 1)
        )
          overflow.push(`${name(el)}: its text spills out of it`);
      }
    }
    // A bar held at the edge of the screen (position sticky or fixed, like a test's Next/Previous)
    // floats over the page as it scrolls by design: what runs under it is not an overlap.
    const floats = (el: Element) => {
      for (let e: Element | null = el; e; e = e.parentElement)
        if (['sticky', 'fixed'].includes(getComputedStyle(e).position)) return true;
      return false;
    };
    for (let i = 0; i < els.length; i++)
      for (let j = i + 1; j < els.length; j++) {
        const a = els[i];
        const b = els[j];
        if (a.contains(b) || b.contains(a) || floats(a) !== floats(b)) continue;
        const ra = a.getBoundingClientRect();
        const rb = b.getBoundingClientRect();
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 1 && h > 1)
          overlaps.push(`${name(a)} overlaps ${name(b)} (${Math.round(w)}×${Math.round(h)})`);
      }
    return { overlaps, smallTargets, overflow };
  }, minTarget);
}

/** Sets the root font size, as a phone's "larger text" setting or browser text zoom does. */
export async function setTextZoom(page: Page, percent: number): Promise<void> {
  await page.evaluate((p) => {
    document.documentElement.style.fontSize = p === 100 ? '' : `${p}%`;
  }, percent);
}

/** Cuts a trainee's socket on the server side (Chromium's offline mode may leave an open socket open). */
export function terminateTraineeSockets(app: TestApp, traineeIds: Iterable<string>): number {
  const ids = new Set(traineeIds);
  let n = 0;
  for (const c of app.classroom.trainees)
    if (c.traineeId && ids.has(c.traineeId)) {
      c.ws.terminate();
      n++;
    }
  return n;
}

export function traineeIdOf(app: TestApp, officerId: string): string {
  for (const t of app.classroom.engine.trainees.values())
    if (t.officerId === officerId) return t.id;
  throw new Error(`no trainee with officer ID ${officerId}`);
}
