import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { startTestApp } from './app';
import type { TestApp } from './app';
import { launchChromium } from './browser';

/**
 * The usual e2e set-up: one real app (free ports, temp data folder) and one Chromium per test file,
 * both stopped afterwards. Read `env.app` and `env.browser` inside tests.
 */
export function useE2e(options: () => Parameters<typeof startTestApp>[0] = () => ({})): {
  app: TestApp;
  browser: Browser;
} {
  const env = {} as { app: TestApp; browser: Browser };
  beforeAll(async () => {
    env.app = await startTestApp(options());
    env.browser = await launchChromium();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.app?.stop();
  });
  return env;
}

/**
 * The console in its own browser context, a session started from `deck` (`course/file.md`, or
 * the deck already selected when omitted), waiting until its first slide is up. Returns the
 * console page and the address phones join at.
 */
export async function startClass(
  env: { app: TestApp; browser: Browser },
  o: {
    deck?: string;
    viewport?: { width: number; height: number };
    context?: BrowserContextOptions;
  } = {},
): Promise<{ con: Page; joinUrl: () => Promise<string> }> {
  const ctx = await env.browser.newContext({
    viewport: o.viewport ?? { width: 1920, height: 1080 },
    ...o.context,
  });
  const con = await ctx.newPage();
  await con.goto(env.app.urls().console);
  if (o.deck) await con.getByLabel('Deck').selectOption(o.deck);
  await con.getByRole('button', { name: 'Start session' }).click();
  await con.getByText(/Slide 1 of \d+/).waitFor();
  return { con, joinUrl: async () => (await con.locator('.join-url').textContent())!.trim() };
}

/** The projector page in its own browser context (1920×1080 unless told). */
export async function openProjectorPage(
  env: { app: TestApp; browser: Browser },
  o: { viewport?: { width: number; height: number }; context?: BrowserContextOptions } = {},
): Promise<Page> {
  const page = await (
    await env.browser.newContext({
      viewport: o.viewport ?? { width: 1920, height: 1080 },
      ...o.context,
    })
  ).newPage();
  await page.goto(env.app.urls().projector);
  return page;
}
