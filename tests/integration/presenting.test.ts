/**
 * Presenting: black and white screens and the theme reach the projector at once, and the speaker
 * notes never do.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client, openConsole } from '../helpers/clients';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.stop();
});

describe('presenting', () => {
  it('black and white screens and the theme reach the projector at once, and notes never do', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    const proj = await Client.open(
      `${app.consoleBase.replace('http', 'ws')}/ws/instructor?role=projector&token=${app.token}`,
    );
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    for (const mode of ['black', 'white', 'none'] as const) {
      expect((await con.cmd({ type: 'blank', mode })).ok).toBe(true);
      await proj.next(
        (m) => m.t === 'projector' && m.blank === mode,
        2000,
        proj.messages.length - 1,
      );
    }
    await con.cmd({ type: 'blank', mode: 'black' });
    await con.cmd({ type: 'next' });
    // Moving on uncovers the screen, as in a presentation program.
    const v = await proj.nextNew<{ t: 'projector'; blank: string; slide: { index: number } }>(
      (m) => m.t === 'projector' && (m as { slide?: { index: number } }).slide?.index === 1,
    );
    expect(v.blank).toBe('none');
    expect((await con.cmd({ type: 'setTheme', theme: 'contrast' })).ok).toBe(true);
    await proj.nextNew((m) => m.t === 'projector' && m.theme === 'contrast');
    const notes = app.classroom.engine.session!.deck.slides.map((s) => s.notes).filter(Boolean);
    expect(notes.length).toBeGreaterThan(0);
    const seen = JSON.stringify(proj.messages);
    for (const n of notes) expect(seen).not.toContain(n.slice(0, 30));
    expect(JSON.stringify(con.messages)).toContain(notes[1].slice(0, 30));
    await proj.close();
    await con.close();
  });
});
