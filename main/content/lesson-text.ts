/**
 * Plain text for the lesson plan from what the loader made: a slide's rendered HTML (the loader's
 * own, raw HTML off, so its shape is known) and speaker notes / scenario text in Markdown.
 * Inline **bold** stays bold as pdfmake text runs.
 */

/** A run of text for pdfmake: plain, or bold. */
export type Run = string | { text: string; bold: true };

/** One block of a slide's body: a paragraph, a bullet, or a table row (cells joined). */
export interface Block {
  kind: 'p' | 'li' | 'row';
  text: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

export function decode(s: string): string {
  return s.replace(/&(#\d+|amp|lt|gt|quot|#39|nbsp);/g, (m) => (m.startsWith('&#') && m !== '&#39;' ? String.fromCharCode(Number(m.slice(2, -1))) : (ENTITIES[m] ?? m)));
}

const strip = (html: string) => decode(html.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();

/** The body of a slide as blocks, without its title (the first heading) or the objectives block. */
export function slideBlocks(html: string): Block[] {
  const body = html.replace(/<section class="objectives">[\s\S]*?<\/section>/g, '').replace(/<h[1-3][^>]*>[\s\S]*?<\/h[1-3]>/, '');
  const out: Block[] = [];
  const re = /<(p|li|tr)\b[^>]*>([\s\S]*?)<\/\1>/g;
  for (const m of body.matchAll(re)) {
    if (m[1] === 'tr') {
      const cells = [...m[2].matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => strip(c[1]));
      if (cells.some(Boolean)) out.push({ kind: 'row', text: cells.join(' — ') });
    } else {
      // A <p> inside an <li> is the same text: keep the <li> only.
      const text = strip(m[2]);
      if (text && !(m[1] === 'p' && out.at(-1)?.kind === 'li' && out.at(-1)?.text.includes(text))) out.push({ kind: m[1] === 'li' ? 'li' : 'p', text });
    }
  }
  return out;
}

/** Markdown inline to runs: **bold** and *italic* markers dropped (bold kept), [text](url) → text. */
export function runs(md: string): Run[] {
  const clean = md.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/(^|[^*])\*([^*\s][^*]*)\*(?!\*)/g, '$1$2').replace(/`([^`]+)`/g, '$1');
  const out: Run[] = [];
  clean.split(/(\*\*[^*]+\*\*)/).forEach((part) => {
    if (!part) return;
    out.push(part.startsWith('**') && part.endsWith('**') ? { text: part.slice(2, -2), bold: true } : part);
  });
  return out;
}

/** Speaker notes split into paragraphs and their Source lines. */
export function splitNotes(notes: string): { paragraphs: string[]; sources: string[] } {
  const sources: string[] = [];
  const paragraphs: string[] = [];
  let cur: string[] = [];
  const flush = () => {
    if (cur.length) paragraphs.push(cur.join(' '));
    cur = [];
  };
  for (const raw of notes.split('\n')) {
    const line = raw.trim();
    const src = /^Source:\s*(\S+)/.exec(line);
    if (src) {
      flush();
      sources.push(src[1]);
    } else if (!line) flush();
    else if (/^([-*]|\d+\.)\s+/.test(line)) {
      flush();
      cur.push(`• ${line.replace(/^([-*]|\d+\.)\s+/, '')}`);
      flush();
    } else cur.push(line);
  }
  flush();
  return { paragraphs, sources };
}

/** "About 6 minutes." at the start of a slide's notes; null when the notes give no time. */
export function notedMinutes(notes: string): number | null {
  const m = /\bAbout (\d+) minutes?\b/i.exec(notes);
  return m ? Number(m[1]) : null;
}
