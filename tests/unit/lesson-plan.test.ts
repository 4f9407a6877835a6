import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadContent } from '../../main/content/load';
import { lessonPlanDoc, lessonPlanPdf } from '../../main/content/lesson-plan';
import { main } from '../../main/cli';
import { ROOT } from '../helpers/app';

const ht = () =>
  loadContent(path.join(ROOT, 'content')).courses.find((c) => c.course.id === 'human-trafficking')!;

/** Every string in a pdfmake document, in order (what a reader would see, without layout). */
function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(textOf).join(' ');
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    return ['text', 'ul', 'ol', 'table', 'body', 'stack']
      .map((k) => (k in o ? textOf(o[k]) : ''))
      .join(' ');
  }
  return '';
}

describe('the lesson plan', () => {
  it('holds what a curriculum file needs: objectives with where taught and assessed, time, methods, scenarios, keys', () => {
    const c = ht();
    const doc = lessonPlanDoc(c, { generated: new Date('2026-12-01T12:00:00Z') });
    const text = textOf(doc.content);
    expect(text).toContain('Lesson plan and instructor guide');
    // Every objective, phrased as the participant's ability, with the items that assess it.
    for (const m of c.course.modules)
      for (const o of m.objectives!)
        expect(text).toContain(`The participant will be able to ${o.text}.`);
    expect(text).toMatch(/post-15 \(posttest\)/);
    // The schedule adds up to the course's planned time.
    expect(text).toContain('480 minutes');
    expect(text).toContain('Role-play scenario: phone vote and debrief');
    expect(text).toContain('Department gap audit (anonymous poll)');
    // Scenarios: recommended choices and the legal basis in the debriefs; assessment keys.
    expect(text).toContain('Recommended:');
    expect(text).toContain('Legal basis:');
    expect(text).toContain('Respond now, with backup and a plan');
  });

  it('is a PDF of many pages, written by `muster export --lesson-plan`', async () => {
    const pdf = await lessonPlanPdf(ht(), { generated: new Date('2026-12-01T12:00:00Z') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)!.length).toBeGreaterThan(30);

    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-lp-')), 'plan.pdf');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await main(['export', '--lesson-plan', 'human-trafficking', '--out', out])).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a course that fails the check, and an unknown course', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await expect(
        main([
          'export',
          '--lesson-plan',
          path.join(ROOT, 'tests', 'fixtures', 'courses', 'objectives-broken'),
        ]),
      ).rejects.toThrow(/problem\(s\)/);
      await expect(main(['export', '--lesson-plan', 'no-such-course'])).rejects.toThrow(
        /no course "no-such-course"/,
      );
    } finally {
      err.mockRestore();
    }
  });
});
