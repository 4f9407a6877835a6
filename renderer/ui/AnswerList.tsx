import type { ListResults } from '../../shared/results';

interface Props {
  results: ListResults;
  big?: boolean;
}

/** Open answers as a list, newest first: the text only, never who wrote it (rendered as text). */
export function AnswerList({ results, big = false }: Props) {
  const shown = results.answers.slice(0, big ? 8 : results.answers.length);
  return (
    <figure
      className={`results-chart results-list ${big ? 'big' : ''}`}
      aria-label={`Answers: ${results.answered} answered`}
    >
      {shown.length ? (
        <ul className="answer-list">
          {shown.map((a, i) => (
            <li key={`${results.answers.length - i}:${a}`}>
              <span>{a}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Answers will appear here</p>
      )}
      {results.answered > shown.length && (
        <p className="muted more">
          The latest {shown.length} of {results.answered}, newest first
        </p>
      )}
    </figure>
  );
}
