import type { ProjectorScenario } from '../../shared/protocol';
import { AuthorHtml } from '../ui/AuthorHtml';
import type { ResultsView } from '../../shared/results';

type Bars = Extract<ResultsView, { kind: 'bars' }>;

interface Props {
  scenario: ProjectorScenario;
  results: ResultsView | null;
  answered: string | null;
}

/**
 * A role-play decision on the projector: the situation, the class's split, then the debrief.
 * Situation and debrief are the course author's Markdown, rendered with raw HTML off at load.
 * Options are long sentences, so the split is a labelled list with bars rather than a chart.
 */
export function ScenarioStage({ scenario, results: any, answered }: Props) {
  // A scenario decision is a single-choice vote: its aggregate is always bars.
  const results = any?.kind === 'bars' ? (any as Bars) : null;
  const max = Math.max(1, ...(results?.counts ?? [0]));
  const best = scenario.debrief?.best ?? null;
  return (
    <div className="scenario-screen">
      <p className="scenario-title">
        {scenario.title}
        {scenario.step > 0 && <span> · decision {scenario.step + 1}</span>}
      </p>
      <div className="scenario-body">
        <AuthorHtml className="situation slide-body projected" html={scenario.situationHtml} />
        <div className="scenario-side">
          {scenario.prompt && !scenario.end && <h2 className="scenario-prompt">{scenario.prompt}</h2>}
          {answered && <p className="voted">{answered}</p>}
          {results && (
            <ol className="votes">
              {results.labels.map((l, i) => (
                <li key={l} className={l === best ? 'best' : undefined}>
                  <span className="label">{l}</span>
                  <span className="bar" style={{ width: `${(results.counts[i] / max) * 100}%` }} />
                  <span className="count">{results.counts[i]}</span>
                </li>
              ))}
            </ol>
          )}
          {scenario.debrief && (
            <div className="debrief">
              {best && (
                <p className="best">
                  Recommended: <strong>{best}</strong>
                </p>
              )}
              {scenario.debrief.html && <AuthorHtml className="slide-body" html={scenario.debrief.html} />}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
