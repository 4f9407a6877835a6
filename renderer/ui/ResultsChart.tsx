import type { BarsResults } from '../../shared/results';
import { OptionMark, optionColour } from './OptionMark';

interface Props {
  results: BarsResults;
  /** Larger type for the projector. */
  big?: boolean;
  label?: string;
}

/** Types whose options are picked, so each carries its colour, shape and letter (as on the phones). */
const CODED = new Set(['single', 'multi', 'truefalse']);

/**
 * Answer counts as bars, drawn in HTML: a long option wraps onto more lines instead of being cut
 * at the edge of a canvas, and the counts are text that screen readers and tests read. Each bar
 * takes its option's colour; once the results are shown, the right options are marked "✓ correct"
 * and the others fade (told apart without colour too).
 */
export function ResultsChart({ results, big = false, label = 'Answers' }: Props) {
  const max = Math.max(1, ...results.counts);
  const coded = CODED.has(results.type);
  const revealed = !!results.correct?.length;
  return (
    <figure
      className={`results-chart results-bars ${big ? 'big' : ''}`}
      aria-label={`${label}: ${results.answered} answered`}
    >
      <table className="results-table">
        <tbody>
          {results.labels.map((l, i) => {
            const right = !!results.correct?.includes(l);
            return (
              <tr key={l} className={right ? 'correct' : revealed ? 'not-correct' : undefined}>
                <th scope="row">
                  <span className="bar-label">
                    {coded && <OptionMark index={i} />}
                    <span className="bar-text">{l}</span>
                    {right && <span className="right-tag">correct</span>}
                  </span>
                  <span className="bar-track" aria-hidden="true">
                    <span
                      className="bar-fill"
                      style={{
                        width: `${(results.counts[i] / max) * 100}%`,
                        background: coded ? optionColour(i) : undefined,
                      }}
                    />
                  </span>
                </th>
                <td data-testid={`count-${i}`}>{results.counts[i]}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
