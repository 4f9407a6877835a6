import type { Page } from 'playwright-core';

/**
 * What is cut off or spills over on a page, as a person would see it, measured from the layout
 * (scrollWidth/scrollHeight against clientWidth/clientHeight):
 * - each `panels` element: nothing wider than it, and nothing taller unless it scrolls (overflow auto);
 * - every element that clips (overflow hidden or clip): its content fits, so nothing is hidden by
 *   it — except content set in pages on purpose (`[data-pages]`, Fit.tsx);
 * - every button: its label fits on its one line;
 * - the page itself does not scroll (`fixedPage`).
 * Returns one line per problem (empty when all is well).
 */
export function overflowReport(
  page: Page,
  panels: string,
  opts: { fixedPage?: boolean; within?: string } = {},
): Promise<string[]> {
  return page.evaluate(
    ({ panels, fixedPage, within }) => {
      const out: string[] = [];
      const name = (el: Element) => {
        const cls =
          typeof el.className === 'string' && el.className.trim()
            ? `.${el.className.trim().split(/\s+/).join('.')}`
            : '';
        return `${el.tagName.toLowerCase()}${cls}("${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40)}")`;
      };
      const shown = (el: Element) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && !el.closest('[hidden], [data-pages]');
      };
      const root = within ? document.querySelector(within) : document.body;
      if (!root) return [`nothing matches ${within}`];
      for (const el of root.querySelectorAll(panels)) {
        if (!shown(el)) continue;
        const cs = getComputedStyle(el);
        if (el.scrollWidth > el.clientWidth + 1) {
          // Name what sticks out: the deepest elements that reach past the right edge.
          const edge = el.getBoundingClientRect().right;
          const past = [...el.querySelectorAll('*')].filter(
            (d) =>
              d.getBoundingClientRect().right > edge + 1 &&
              ![...d.children].some((c) => c.getBoundingClientRect().right > edge + 1),
          );
          out.push(
            `${name(el)}: content ${el.scrollWidth} px wide in ${el.clientWidth} px (${past.slice(0, 3).map(name).join(', ')})`,
          );
        }
        if (!['auto', 'scroll'].includes(cs.overflowY) && el.scrollHeight > el.clientHeight + 1)
          out.push(`${name(el)}: content ${el.scrollHeight} px tall in ${el.clientHeight} px`);
      }
      for (const el of root.querySelectorAll('*')) {
        // Text for screen readers only is clipped on purpose.
        if (!shown(el) || el.closest('.visually-hidden')) continue;
        const cs = getComputedStyle(el);
        const clipsX = ['hidden', 'clip'].includes(cs.overflowX);
        const clipsY = ['hidden', 'clip'].includes(cs.overflowY);
        if (clipsX && el.scrollWidth > el.clientWidth + 1)
          out.push(`${name(el)} cuts off ${el.scrollWidth - el.clientWidth} px across`);
        if (clipsY && el.scrollHeight > el.clientHeight + 1)
          out.push(`${name(el)} cuts off ${el.scrollHeight - el.clientHeight} px down`);
        if (el.matches('button') && el.scrollWidth > el.clientWidth + 1)
          out.push(`${name(el)}: its label does not fit`);
      }
      if (fixedPage) {
        const d = document.documentElement;
        if (d.scrollWidth > innerWidth + 1)
          out.push(`the page is ${d.scrollWidth} px wide in ${innerWidth}`);
        if (d.scrollHeight > innerHeight + 1)
          out.push(`the page is ${d.scrollHeight} px tall in ${innerHeight}`);
      }
      return [...new Set(out)];
    },
    { panels, fixedPage: opts.fixedPage ?? false, within: opts.within },
  );
}

/** Text on the projector's stage that runs under the join code in its corner. */
export function underJoinCorner(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const corner = document.querySelector('.join-corner');
    if (!corner) return [];
    const c = corner.getBoundingClientRect();
    const out: string[] = [];
    const walker = document.createTreeWalker(
      document.querySelector('.screen-body') ?? document.body,
      NodeFilter.SHOW_TEXT,
    );
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects())
        if (
          r.right > c.left + 1 &&
          r.left < c.right - 1 &&
          r.bottom > c.top + 1 &&
          r.top < c.bottom - 1
        )
          out.push(n.textContent.trim().slice(0, 40));
    }
    return out;
  });
}
