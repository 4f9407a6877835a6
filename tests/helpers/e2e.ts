import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp } from './app';
import type { TestApp } from './app';
import { launchChromium } from './browser';

/**
 * The usual e2e set-up: one real app (free ports, temp data folder) and one Chromium per test file,
 * both stopped afterwards. Read `env.app` and `env.browser` inside tests.
 */
export function useE2e(options: () => Parameters<typeof startTestApp>[0] = () => ({})): { app: TestApp; browser: Browser } {
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
