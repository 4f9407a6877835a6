/**
 * A chart label as lines of at most `max` characters, broken between words (a word longer than
 * that gets a line of its own): chart.js draws an array as lines, so a long label wraps instead of
 * running off the edge of the canvas.
 */
export function wrapLabel(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}
