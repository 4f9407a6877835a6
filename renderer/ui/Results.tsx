import type { BarsResults, ResultsView } from '../../shared/results';
import { fmt } from '../../shared/results';
import { ResultsChart } from './ResultsChart';
import { Histogram } from './Histogram';
import { WordCloud } from './WordCloud';
import { AnswerList } from './AnswerList';
import { RankResults } from './RankResults';
import './results.css';

interface Props {
  results: ResultsView;
  /** Projector sizes: readable from the back of the room. */
  big?: boolean;
}

/**
 * The live results of the current question, drawn the way its aggregate needs: bars for choices
 * and ratings, a histogram for numbers, a word cloud or a list for open text, average ranks for a
 * ranking. Every view shows its numbers as text too. Keyed by question, so a new question starts
 * with a fresh chart.
 */
export function Results({ results, big = false }: Props) {
  const key = results.questionId;
  switch (results.kind) {
    case 'bars':
      return <Bars key={key} results={results} big={big} />;
    case 'histogram':
      return <Histogram key={key} results={results} big={big} />;
    case 'cloud':
      return <WordCloud key={key} results={results} big={big} />;
    case 'list':
      return <AnswerList key={key} results={results} big={big} />;
    case 'rank':
      return <RankResults key={key} results={results} big={big} />;
  }
}

/** Counts per option; a rating adds its mean and what the ends of the scale mean. */
function Bars({ results, big }: { results: BarsResults; big: boolean }) {
  if (results.type !== 'rating') return <ResultsChart results={results} big={big} />;
  const { labels, minLabel, maxLabel, mean } = results;
  return (
    <div className={`results-rating ${big ? 'big' : ''}`}>
      <ResultsChart results={results} big={big} />
      <p className="results-stats">
        <span>
          Mean <strong data-testid="rating-mean">{mean == null ? '–' : fmt(mean, 1)}</strong>
        </span>
        {minLabel && (
          <span className="muted">
            {labels[0]} = {minLabel}
          </span>
        )}
        {maxLabel && (
          <span className="muted">
            {labels.at(-1)} = {maxLabel}
          </span>
        )}
      </p>
    </div>
  );
}
