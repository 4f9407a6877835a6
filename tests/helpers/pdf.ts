/**
 * Reads a PDF the way a person would see it, with pdf.js (the same library the console uses for
 * PDF import): its pages and the text on each, in reading order.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfRead {
  /** Each page's text, items joined with spaces. */
  pages: string[];
  /** Width and height (points) of the first page. */
  size: [number, number];
  /** Width and height (points) of each page. */
  sizes: [number, number][];
}

export async function readPdf(bytes: Uint8Array): Promise<PdfRead> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    const sizes: [number, number][] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      sizes.push([
        Math.round(page.view[2] - page.view[0]),
        Math.round(page.view[3] - page.view[1]),
      ]);
      const content = await page.getTextContent();
      pages.push(
        content.items
          .map((it) => ('str' in it ? it.str : ''))
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );
    }
    return { pages, size: sizes[0], sizes };
  } finally {
    await doc.destroy();
  }
}
