import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { CloudResults, CloudWord } from '../../shared/results';

interface Props {
  results: CloudResults;
  big?: boolean;
}

/** Six colours (results.css picks them per theme); none is the green that marks a right answer. */
const COLOURS = 6;

/**
 * Open answers as a word cloud: plain spans sized by frequency, the biggest in the middle. Trainee
 * text is rendered as text (React escapes it). A word or phrase is never cut: the type shrinks
 * until every entry fits (never below 28 px on the projector), and if even that is too much the
 * rarest entries leave the cloud (the table beside it lists the top ones with their counts).
 */
export function WordCloud({ results, big = false }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState('');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize(`${el.clientWidth}x${el.clientHeight}`));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // New answers, or a new box: fitted again from full size with every entry.
  const key = `${size}:${results.words.map((w) => `${w.text}\u0000${w.count}`).join('\u0001')}`;
  return (
    <figure
      className={`results-chart results-cloud ${big ? 'big' : ''}`}
      aria-label={`Word cloud: ${results.answered} answered`}
    >
      <div className="cloud" ref={box} aria-hidden="true">
        {size && <CloudWords key={key} words={results.words} big={big} box={box} />}
        {results.words.length === 0 && (
          <span className="cloud-empty">Answers will appear here</span>
        )}
      </div>
      <table className="results-table cloud-table">
        <tbody>
          {results.words.slice(0, big ? 8 : 50).map((w) => (
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

function CloudWords({
  words: all,
  big,
  box,
}: {
  words: CloudWord[];
  big: boolean;
  box: RefObject<HTMLDivElement | null>;
}) {
  const [min, max] = big ? [32, 120] : [13, 36];
  const [shrink, setShrink] = useState(1);
  const [room, setRoom] = useState(all.length);
  const words = all.slice(0, room);
  const top = words[0]?.count ?? 1;

  // Biggest in the middle: alternate the words (most frequent first) to either side.
  const arranged = useMemo(() => {
    const out: CloudWord[] = [];
    words.forEach((w, i) => (i % 2 ? out.unshift(w) : out.push(w)));
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- words is all sliced to room
  }, [all, room]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !(el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1))
      return;
    if (shrink > 0.5) setShrink((s) => s * 0.9);
    else if (room > 1) setRoom((r) => r - 1);
  }, [box, shrink, room]);

  // Size by share of the most frequent: twice as frequent reads clearly bigger, never tiny.
  const px = (count: number) =>
    Math.max(min, Math.round((min + (max - min) * Math.pow(count / top, 0.75)) * shrink));
  return (
    <>
      {arranged.map((w) => (
        <span
          key={w.text}
          className={`cloud-word c${hash(w.text) % COLOURS}`}
          style={{ fontSize: `${px(w.count)}px` }}
        >
          {w.text}
        </span>
      ))}
    </>
  );
}

/** A stable colour per word, so a word keeps its colour as the cloud reshuffles. */
function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
