// Vite's `?url` import: the pdf.js worker is emitted into /assets/ and imported as its URL, so it
// is served by the loopback server under the page's CSP (script-src 'self').
declare module 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?worker&url' {
  const url: string;
  export default url;
}
