/**
 * LibreOffice, headless, to print workbooks as a records clerk would: each sheet to PDF pages with
 * its page setup. Debian's package (`apt-get install -y libreoffice-calc`; .ci/run installs it);
 * SOFFICE_PATH points elsewhere.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function sofficePath(): string {
  const found = [
    process.env.SOFFICE_PATH,
    '/usr/bin/soffice',
    '/usr/bin/libreoffice',
    '/usr/lib/libreoffice/program/soffice',
  ].find((p) => p && fs.existsSync(p));
  if (!found)
    throw new Error(
      'LibreOffice not found: apt-get install -y libreoffice-calc (or set SOFFICE_PATH)',
    );
  return found;
}

/** The PDFs of the given files, converted in one LibreOffice run with a profile of its own (other runs may be going on). */
export async function toPdf(files: string[], outDir: string): Promise<string[]> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-soffice-'));
  try {
    await run(
      sofficePath(),
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf',
        '--outdir',
        outDir,
        ...files,
      ],
      { timeout: 180_000 },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return files.map((f) => {
    const pdf = path.join(outDir, `${path.basename(f).replace(/\.[^.]+$/, '')}.pdf`);
    if (!fs.existsSync(pdf)) throw new Error(`LibreOffice made no PDF of ${f}`);
    return pdf;
  });
}

/** PNGs of a PDF's pages, for a person to look at, when poppler's pdftoppm is there (nothing is checked on them). */
export async function pagePictures(pdf: string, stem: string): Promise<void> {
  if (!fs.existsSync('/usr/bin/pdftoppm')) return;
  // An earlier run's pages go first: a shorter document must not leave some behind.
  const dir = path.dirname(stem);
  for (const f of fs.readdirSync(dir))
    if (f.startsWith(`${path.basename(stem)}-`) && f.endsWith('.png')) fs.rmSync(path.join(dir, f));
  await run('/usr/bin/pdftoppm', ['-r', '60', '-png', pdf, stem], { timeout: 60_000 });
}
