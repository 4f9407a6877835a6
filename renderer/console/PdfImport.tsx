import { useState } from 'react';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?worker&url';
import './pdf-import.css';
import { errorMessage } from '../../shared/errors';

export interface PdfImportResult {
  course: string;
  file: string;
  slides: number;
}

interface Props {
  token: string;
  onImported?: (r: PdfImportResult) => void;
}

/** The same limits the server enforces (main/server/import-api.ts), checked first to fail early. */
const LIMITS = {
  pages: 400,
  pageBytes: 8 * 1024 * 1024,
  bodyBytes: 200 * 1024 * 1024,
  titleChars: 200,
};
/** Page images are rendered 1920 px wide: full HD, the projector page's stage. */
const WIDTH = 1920;
const MAX_HEIGHT = 8192;

/**
 * Import a slide deck saved as PDF (PowerPoint, Keynote, Google Slides …): every page is rendered to
 * an image here in the page with pdf.js, and the images are sent to the server, which saves them as an
 * ordinary course deck (one slide per page). Question slides can then be added between pages by
 * editing the deck (content/README.md).
 */
export function PdfImport({ token, onImported }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [progress, setProgress] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = (f: File | null) => {
    setFile(f);
    setError(null);
    setProgress('');
    if (f) setTitle(titleFromFileName(f.name));
  };

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      // Each page goes up as soon as it is drawn, one request each: neither side ever holds the whole deck.
      const post = async (path: string, body: BodyInit, type: string) => {
        const res = await fetch(path, {
          method: 'POST',
          headers: { 'Content-Type': type, 'X-Muster-Token': token },
          body,
        });
        if (!res.ok) throw new Error((await res.text()) || `the server answered ${res.status}`);
        return res.json() as Promise<unknown>;
      };
      let upload = '';
      let bytes = 0;
      const slides = await renderPdf(
        file,
        async (n, total, page) => {
          if (n === 1)
            upload = (
              (await post(
                '/api/import/pdf/start',
                JSON.stringify({ title: title.trim(), pages: total }),
                'application/json',
              )) as { upload: string }
            ).upload;
          bytes += page.size;
          if (bytes > LIMITS.bodyBytes)
            throw new Error(
              `the rendered pages come to more than ${mb(LIMITS.bodyBytes)}; split the PDF into smaller decks`,
            );
          setProgress(`Saving page ${n} of ${total}…`);
          await post(
            `/api/import/pdf/page?upload=${encodeURIComponent(upload)}&n=${n}`,
            page,
            page.type,
          );
        },
        (n, total) => setProgress(`Rendering page ${n} of ${total}…`),
      );
      setProgress(`Saving ${slides} ${slides === 1 ? 'slide' : 'slides'}…`);
      const r = (await post(
        `/api/import/pdf/finish?upload=${encodeURIComponent(upload)}`,
        '',
        'application/json',
      )) as PdfImportResult;
      setProgress(
        `Imported “${title.trim()}”: ${r.slides} ${r.slides === 1 ? 'slide' : 'slides'}.`,
      );
      onImported?.(r);
    } catch (e) {
      setProgress('');
      setError(`Import failed: ${describe(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pdf-import">
      <label>
        Import PDF{' '}
        <input
          type="file"
          accept="application/pdf,.pdf"
          disabled={busy}
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
        />
      </label>
      {file && (
        <>
          <label>
            Deck title{' '}
            <input
              type="text"
              value={title}
              maxLength={LIMITS.titleChars}
              disabled={busy}
              onChange={(e) => setTitle(e.target.value)}
            />
          </label>
          <button onClick={() => void run()} disabled={busy || !title.trim()}>
            Import
          </button>
        </>
      )}
      <p className="import-progress" aria-live="polite">
        {progress}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function titleFromFileName(name: string): string {
  return name
    .replace(/\.pdf$/i, '')
    .replace(/[_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, LIMITS.titleChars);
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** Renders every page to a PNG (or a JPEG when that is less than half the size) and hands each to `send`; resolves with the page count. */
async function renderPdf(
  file: File,
  send: (n: number, total: number, page: Blob) => Promise<void>,
  onPage: (n: number, total: number) => void,
): Promise<number> {
  // pdf.js is loaded only when it is needed; its worker comes from /assets/ like the page's scripts.
  // The legacy build: Electron's Chromium lacks some very new JavaScript the modern build assumes.
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(await file.arrayBuffer()),
    // The page's CSP allows neither eval nor WebAssembly, and nothing is fetched from elsewhere.
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
  }).promise;
  try {
    if (doc.numPages > LIMITS.pages)
      throw new Error(
        `the PDF has ${doc.numPages} pages; at most ${LIMITS.pages} can be imported at once`,
      );
    for (let n = 1; n <= doc.numPages; n++) {
      onPage(n, doc.numPages);
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({
        scale: Math.min(WIDTH / base.width, MAX_HEIGHT / base.height),
      });
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      await page.render({ canvas, viewport }).promise;
      const image = await encode(canvas, n);
      page.cleanup();
      canvas.width = canvas.height = 0; // let the browser free the pixels now
      await send(n, doc.numPages, image);
    }
    return doc.numPages;
  } finally {
    await doc.destroy();
  }
}

async function encode(canvas: HTMLCanvasElement, n: number): Promise<Blob> {
  const png = await toBlob(canvas, 'image/png');
  const jpeg = await toBlob(canvas, 'image/jpeg', 0.85);
  const pick = jpeg.size * 2 < png.size || png.size > LIMITS.pageBytes ? jpeg : png;
  if (pick.size > LIMITS.pageBytes)
    throw new Error(`page ${n} is larger than ${mb(LIMITS.pageBytes)} even as a JPEG`);
  return pick;
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('the page could not be turned into an image'))),
      type,
      quality,
    ),
  );
}

function describe(e: unknown): string {
  const name = (e as { name?: string } | null)?.name;
  if (name === 'PasswordException')
    return 'the PDF is protected by a password; save it again without one and import that copy';
  if (name === 'InvalidPDFException') return 'this file is not a PDF that can be read';
  return errorMessage(e);
}
