/**
 * Checks of a trainee screen as a keyboard user and a reader with large text meet it: tabbing to a
 * control by its accessible text, what has the focus, and axe, screenshots and the layout at 100 %
 * and 200 % text.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { shotPath } from './browser';
import { axeViolations, layoutReport, setTextZoom } from './a11y';
import type { LayoutReport, Violation } from './a11y';

/** Tabs forward until the focused element's accessible text matches, like a keyboard user would. */
export async function tabTo(p: Page, text: string | RegExp, max = 15): Promise<void> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    // What a screen reader says of it: its label, or its text without what is hidden from it (an option's colour-shape-letter mark).
    const focused = await p.evaluate(() => {
      const el = document.activeElement;
      if (!el) return '';
      const label = el.getAttribute('aria-label');
      if (label) return label.trim();
      const copy = el.cloneNode(true) as Element;
      for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
      return (copy.textContent ?? '').trim();
    });
    if (typeof text === 'string' ? focused.replace(/\s*✓$/, '') === text : text.test(focused))
      return;
  }
  throw new Error(
    `Tab never reached ${String(text)}; at "${await p.evaluate(() => document.activeElement?.outerHTML.slice(0, 200) ?? '')}"`,
  );
}

/** Computed font sizes (px) of each kind of text on the screen. */
const fontSizes = (p: Page) =>
  p.evaluate(() => {
    const out: Record<string, number> = {};
    for (const sel of [
      '.brand',
      '.net',
      'h1',
      'label',
      'input',
      'button',
      '.hint',
      '.who',
      '.waiting p',
      '.receipt',
      '.closed-note',
      '.reveal p',
      '.t-error',
      '.toggle-prompt',
    ]) {
      const el = document.querySelector(sel);
      if (el) out[sel] = parseFloat(getComputedStyle(el).fontSize);
    }
    return out;
  });

export const focusedInfo = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.textContent ?? '').trim(),
      role: el?.getAttribute('role') ?? '',
    };
  });

/**
 * Checks one screen: axe, a screenshot, and the layout at 100 % and at 200 % text (where every kind
 * of text must really double, and nothing may overlap, spill sideways or shrink below 48 px).
 */
export function screens(p: Page) {
  const violations: Record<string, Violation[]> = {};
  const layouts: Record<string, LayoutReport> = {};
  const screen = async (name: string) => {
    violations[name] = await axeViolations(p);
    await p.screenshot({ path: shotPath(`trainee-${name}-360`) });
    layouts[name] = await layoutReport(p);
    const before = await fontSizes(p);
    await setTextZoom(p, 200);
    const after = await fontSizes(p);
    for (const [sel, px] of Object.entries(before))
      expect(after[sel] / px, `${name}: ${sel} at 200 %`).toBeCloseTo(2, 1);
    layouts[`${name} @200%`] = await layoutReport(p);
    await p.screenshot({ path: shotPath(`trainee-${name}-360-text200`), fullPage: true });
    await setTextZoom(p, 100);
  };
  /** Everything found so far, as two objects that must be empty. */
  const problems = () => {
    const failing = Object.fromEntries(Object.entries(violations).filter(([, v]) => v.length));
    const badLayout = Object.fromEntries(
      Object.entries(layouts).filter(
        ([, l]) => l.overlaps.length || l.smallTargets.length || l.overflow.length,
      ),
    );
    return { failing, badLayout };
  };
  return { violations, layouts, screen, problems };
}
