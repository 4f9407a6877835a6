import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from './app';

/** Debian's Chromium, driven headless by playwright-core (never a downloaded browser). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  return chromium.launch({
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
}

/** A phone: 360 px wide, touch, mobile user agent. */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
  });
}

/** Screenshots go to test-output/ (not committed) so a person can look at them. */
export function shotPath(name: string): string {
  const dir = path.join(ROOT, 'test-output', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

/** A trainee joins on a phone page through the join form, as a person would; done at "You are in". */
export async function joinOnPhone(
  page: Page,
  joinUrl: string,
  who: { name: string; officerId: string; agency: string },
): Promise<void> {
  await page.goto(joinUrl);
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Officer ID').fill(who.officerId);
  await page.getByLabel('Agency').fill(who.agency);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByText('You are in').waitFor();
}
