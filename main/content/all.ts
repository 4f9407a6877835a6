/** The content a running Muster offers: the content folder and the courses imported into its data folder. */
import fs from 'node:fs';
import path from 'node:path';
import { loadContent } from './load';
import type { LoadResult } from './load';

/**
 * The shipped/instructor content folder plus the courses imported into `<dataDir>/courses`.
 * An imported course whose id is already taken by the content folder is left out (and reported).
 */
export function loadAllContent(contentDir: string, coursesDir: string): LoadResult {
  const content = loadContent(contentDir);
  if (path.resolve(coursesDir) === path.resolve(contentDir) || !fs.existsSync(coursesDir)) return content;
  const imported = loadContent(coursesDir);
  const ids = new Set(content.courses.map((c) => c.course.id));
  const problems = [...content.problems, ...imported.problems];
  const courses = [...content.courses];
  for (const c of imported.courses) {
    if (ids.has(c.course.id)) {
      problems.push({ file: path.join(c.dir, 'course.yaml'), line: 1, message: `course id "${c.course.id}" is already used by ${contentDir}; this copy is not loaded` });
      continue;
    }
    ids.add(c.course.id);
    courses.push(c);
  }
  return { courses, problems };
}
