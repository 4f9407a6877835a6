import type { RankResults as RankView } from '../../shared/results';
import { fmt } from '../../shared/results';

interface Props {
  results: RankView;
  big?: boolean;
}

/**
 * A ranking: the items in the class's order, by average rank (1 = top), with a bar that is longest
 * for the item ranked highest. Once results are shown for a graded ranking, each item's right place.
 */
export function RankResults({ results, big = false }: Props) {
  const n = results.items.length;
  const correct = results.correct;
  return (
    <figure
      className={`results-chart results-rank ${big ? 'big' : ''}`}
      aria-label={`Average rank: ${results.answered} answered`}
    >
      <table className="results-table rank-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              Average rank
            </th>
            {correct && (
              <th scope="col" className="num">
                Right place
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {results.items.map((item, i) => {
            // 1 → full bar, n → a sliver: how near the top the class put it.
            const width =
              item.averageRank === null || n < 2 ? 0 : 8 + (92 * (n - item.averageRank)) / (n - 1);
            const right = correct ? correct.indexOf(item.label) + 1 : 0;
            return (
              <tr key={item.label} className={right && right === i + 1 ? 'right-place' : undefined}>
                <td className="pos">{i + 1}</td>
                <th scope="row">
                  <span className="rank-label">{item.label}</span>
                  <span className="rank-bar" style={{ width: `${width}%` }} aria-hidden="true" />
                </th>
                <td className="avg" data-testid={`rank-${i}`}>
                  {item.averageRank === null ? '–' : fmt(item.averageRank)}
                </td>
                {correct && <td className="num">{right || '–'}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
