import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CloudResults } from '../../shared/results';

interface Props {
  results: CloudResults;
  big?: boolean;
}

/** Six colours (results.css picks them per theme); none is the green that marks a right answer. */
const COLOURS = 6;

/**
 * Open answers as a word cloud: plain spans sized by frequency, the biggest in the middle. Trainee
 * text is rendered as text (React escapes it). The projector shrinks the type until every word
 * fits, never below 28 px; the top words and their counts are listed beside it.
 */
export function WordCloud({ results, big = false }: Props) {
  const [min, max] = big ? [32, 120] : [13, 36];
  const [shrink, setShrink] = useState(1);
  const box = useRef<HTMLDivElement>(null);
  const words = results.words;
  const top = words[0]?.count ?? 1;

  // Biggest in the middle: alternate the words (most frequent first) to either side.
  const arranged = useMemo(() => {
    const out: typeof words = [];
    words.forEach((w, i) => (i % 2 ? out.unshift(w) : out.push(w)));
    return out;
  }, [words]);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && shrink > 0.4 && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) setShrink((s) => s * 0.9);
  }, [arranged, shrink]);

  // Size by share of the most frequent: twice as frequent reads clearly bigger, never tiny.
  const size = (count: number) => Math.max(min, Math.round((min + (max - min) * Math.pow(count / top, 0.75)) * shrink));

  return (
    <figure className={`results-chart results-cloud ${big ? 'big' : ''}`} aria-label={`Word cloud: ${results.answered} answered`}>
      <div className="cloud" ref={box} aria-hidden="true">
        {arranged.map((w) => (
          <span key={w.text} className={`cloud-word c${hash(w.text) % COLOURS}`} style={{ fontSize: `${size(w.count)}px` }}>
            {w.text}
          </span>
        ))}
        {words.length === 0 && <span className="cloud-empty">Answers will appear here</span>}
      </div>
      <table className="results-table cloud-table">
        <tbody>
          {words.slice(0, big ? 8 : 50).map((w) => (
            <tr key={w.text}>
              <th scope="row">{w.text}</th>
              <td>{w.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** A stable colour per word, so a word keeps its colour as the cloud reshuffles. */
function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
