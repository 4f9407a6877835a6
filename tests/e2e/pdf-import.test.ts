// PDF import end to end: a 3-page PDF made by Chromium in the test, imported through the console
// page (pdf.js renders the pages in the browser), saved as a course deck, and projected.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadContent } from '../../main/content/load';
import { useE2e } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { openConsole } from '../helpers/clients';

const env = useE2e();

const COLOURS = ['#1f5fa8', '#8a1f3d', '#1d6b3a'];

/** Width and height of a PNG or JPEG. */
function imageSize(b: Buffer): { width: number; height: number } {
  if (b.readUInt32BE(0) === 0x89504e47)
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  for (let i = 2; i < b.length;) {
    const marker = b[i + 1];
    if (marker >= 0xc0 && marker <= 0xc3)
      return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
    i += 2 + b.readUInt16BE(i + 2);
  }
  throw new Error('not a PNG or JPEG');
}

/** A raw request, so the path reaches the server exactly as written (no URL normalisation). */
function rawGet(port: number, rawPath: string): Promise<{ status: number; type: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? '') });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('PDF import', () => {
  it('turns a PDF into a deck with one slide per page, shown on the projector', async () => {
    // ---- A small PDF, made by Chromium itself: three 16:9 pages.
    const maker = await env.browser.newPage();
    await maker.setContent(
      `<style>@page { size: 1280px 720px; margin: 0 } body { margin: 0; font: bold 140px sans-serif; color: #fff }
        div { height: 720px; display: flex; align-items: center; justify-content: center }</style>` +
        COLOURS.map(
          (c, i) =>
            `<div style="background:${c};${i < COLOURS.length - 1 ? 'page-break-after:always' : ''}">Page ${i + 1}</div>`,
        ).join(''),
    );
    const pdf = await maker.pdf({ width: '1280px', height: '720px', printBackground: true });
    await maker.close();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)).toHaveLength(3);
    const pdfFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pdf-')),
      'traffic_stop_briefing.pdf',
    );
    fs.writeFileSync(pdfFile, pdf);

    // ---- Import it in the console.
    const urls = env.app.urls();
    const consoleCtx = await env.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const con = await consoleCtx.newPage();
    const problems: string[] = [];
    con.on('console', (m) => {
      // (The browser's own /favicon.ico request has no token: not this feature's concern.)
      if (
        (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) ||
        /Content.Security.Policy/i.test(m.text())
      )
        problems.push(`${m.type()}: ${m.text()} @ ${m.location().url}`);
    });
    con.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    con.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await con.goto(urls.console);
    await con.getByText('Connected').waitFor();
    // The deck picker (its accessible name also holds the selected deck's text).
    const select = con.getByRole('combobox', { name: /^Deck\b/ });
    const decksBefore = await select.locator('option').count();
    expect(decksBefore).toBeGreaterThan(0);

    await con.getByLabel('Import PDF').setInputFiles(pdfFile);
    const title = con.getByLabel('Deck title');
    expect(await title.inputValue()).toBe('traffic stop briefing'); // prefilled from the file name
    await title.fill('Traffic Stop Briefing');
    await con.getByRole('button', { name: 'Import', exact: true }).click();
    await con.getByText('Imported “Traffic Stop Briefing”: 3 slides.').waitFor({ timeout: 30_000 });

    // The server pushed the new deck list; the new deck is selected.
    await select
      .locator('option', { hasText: 'Traffic Stop Briefing — Traffic Stop Briefing (3 slides)' })
      .waitFor({ state: 'attached' });
    expect(await select.locator('option').count()).toBe(decksBefore + 1);
    await expect.poll(() => select.inputValue()).toBe('traffic-stop-briefing/deck.md');
    await con.screenshot({ path: shotPath('console-pdf-imported-1920') });

    // ---- An ordinary course folder in <dataDir>/courses.
    const courseDir = path.join(env.app.dataDir, 'courses', 'traffic-stop-briefing');
    const loaded = loadContent(courseDir);
    expect(loaded.problems).toEqual([]);
    expect(loaded.courses).toHaveLength(1);
    expect(loaded.courses[0].course.id).toBe('traffic-stop-briefing');
    const deck = loaded.courses[0].decks[0];
    expect(deck.slides).toHaveLength(3);
    expect(deck.slides.map((s) => s.id)).toEqual(['page-001', 'page-002', 'page-003']);
    const images = fs.readdirSync(path.join(courseDir, 'images')).sort();
    expect(images).toHaveLength(3);
    images.forEach((f, i) => {
      expect(f).toMatch(new RegExp(`^page-00${i + 1}\\.(png|jpg)$`));
      // 1280×720 pages rendered 1920 px wide.
      expect(imageSize(fs.readFileSync(path.join(courseDir, 'images', f)))).toEqual({
        width: 1920,
        height: 1080,
      });
    });
    expect(fs.readdirSync(env.app.dataDir).filter((f) => f.startsWith('.import-'))).toEqual([]);

    // ---- Course images are served without the token, and nothing else is.
    const img = `/courses/traffic-stop-briefing/images/${images[0]}`;
    expect(await rawGet(env.app.consolePort, img)).toEqual({
      status: 200,
      type: images[0].endsWith('.png') ? 'image/png' : 'image/jpeg',
    });
    for (const bad of [
      '/courses/traffic-stop-briefing/course.yaml',
      '/courses/traffic-stop-briefing/deck.md',
      '/courses/traffic-stop-briefing/%2e%2e/%2e%2e/muster.sqlite',
      '/courses/traffic-stop-briefing/images/..%2f..%2f..%2fmuster.sqlite',
      '/courses/traffic-stop-briefing/images/%2e%2e%2f%2e%2e%2fcourse.yaml',
      '/courses/no-such-course/images/page-001.png',
    ])
      // 404 from the course route, or 401 when the URL parser already resolved the `..` away from /courses/.
      expect([401, 404], bad).toContain((await rawGet(env.app.consolePort, bad)).status);

    // ---- The import API needs the token and refuses bad input without writing anything.
    const api = `${env.app.consoleBase}/api/import/pdf`;
    const body = JSON.stringify({ title: 'Nope', pages: 1 });
    expect(
      (
        await fetch(`${api}/start`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        })
      ).status,
    ).toBe(401);
    const started = await fetch(`${api}/start`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Muster-Token': env.app.token },
      body,
    });
    const { upload } = (await started.json()) as { upload: string };
    const bad = await fetch(`${api}/page?upload=${upload}&n=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'image/png', 'X-Muster-Token': env.app.token },
      body: 'hi, not a PNG',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/not a PNG image/);
    expect(fs.readdirSync(path.join(env.app.dataDir, 'courses'))).toEqual([
      'traffic-stop-briefing',
    ]);

    // ---- Start a session with the imported deck; the projector shows page 1.
    await con.getByRole('button', { name: 'Start session' }).click();
    const instructor = await openConsole(env.app.consoleBase, env.app.token);
    expect((await instructor.cmd({ type: 'goto', index: 0 })).ok).toBe(true);
    expect((await instructor.cmd({ type: 'showJoin', show: false })).ok).toBe(true);

    const projCtx = await env.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const projector = await projCtx.newPage();
    await projector.goto(urls.projector);
    const shown = projector.locator(`.slide-body img[src="${img}"]`);
    await shown.waitFor();
    await expect
      .poll(() => shown.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth))
      .toBe(1920);
    expect(await shown.getAttribute('alt')).toBe('Page 1');
    await projector.screenshot({ path: shotPath('projector-pdf-slide-1920') });

    expect(problems).toEqual([]);
    expect((await instructor.cmd({ type: 'endSession' })).ok).toBe(true);
    await instructor.close();
    await projCtx.close();
    await consoleCtx.close();
  });

  it('says clearly when the file is not a PDF', async () => {
    const ctx = await env.browser.newContext();
    const con = await ctx.newPage();
    await con.goto(env.app.urls().console);
    await con.getByText('Connected').waitFor();
    const courses = () =>
      fs.existsSync(path.join(env.app.dataDir, 'courses'))
        ? fs.readdirSync(path.join(env.app.dataDir, 'courses'))
        : [];
    const before = courses();
    const notPdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pdf-')), 'notes.pdf');
    fs.writeFileSync(notPdf, 'just some text, not a PDF');
    await con.getByLabel('Import PDF').setInputFiles(notPdf);
    await con.getByRole('button', { name: 'Import', exact: true }).click();
    await expect
      .poll(() => con.getByRole('alert').filter({ hasText: 'Import failed' }).textContent())
      .toMatch(/Import failed: .*PDF/);
    expect(courses()).toEqual(before);
    await ctx.close();
  });
});
