import type { ProjectorScenario } from '../../shared/protocol';
import { AuthorHtml } from '../ui/AuthorHtml';
import { OptionMark } from '../ui/OptionMark';
import type { ResultsView } from '../../shared/results';
import { Fit } from './Fit';

type Bars = Extract<ResultsView, { kind: 'bars' }>;

interface Props {
  scenario: ProjectorScenario;
  /** The split, once the instructor reveals the debrief (never while the vote is open). */
  results: ResultsView | null;
  /** A vote is open or closed and not yet revealed. */
  voting: boolean;
  answered: number;
  joined: number;
}

/**
 * A role-play decision on the projector: the situation and the question while the class votes
 * (how many voted, never the split); at the reveal the split beside the debrief, which then has
 * the room the situation had. Situation and debrief are the course author's Markdown (raw HTML off
 * at load); each is fitted to its box, scaled down or paged, never cut. Options are long
 * sentences, so the split is a labelled list with bars rather than a chart.
 */
export function ScenarioStage({ scenario, results: any, voting, answered, joined }: Props) {
  // A scenario decision is a single-choice vote: its aggregate is always bars.
  const results = any?.kind === 'bars' ? (any as Bars) : null;
  const debrief = scenario.debrief;
  const key = `${scenario.nodeId}:${scenario.step}`;
  return (
    <div className={`scenario-screen${debrief ? ' revealed' : ''}`}>
      <p className="scenario-title">
        {scenario.title}
        {scenario.step > 0 && <span> · decision {scenario.step + 1}</span>}
      </p>
      {scenario.prompt && !scenario.end && <h2 className="scenario-prompt">{scenario.prompt}</h2>}
      <div className="scenario-body">
        {debrief && !scenario.end ? (
          <div className="scenario-side">
            <p className="voted">
              {answered} of {joined} voted
            </p>
            {results && <Split results={results} best={debrief.best} />}
          </div>
        ) : (
          <Fit className="situation-box" fitKey={`${key}:s`} min={0.7}>
            <AuthorHtml className="situation slide-body projected" html={scenario.situationHtml} />
          </Fit>
        )}
        {debrief ? (
          <Fit className="debrief-box" fitKey={`${key}:d`} min={0.78}>
            <div className="debrief">
              {debrief.best && (
                <p className="best">
                  Recommended: <strong>{debrief.best}</strong>
                </p>
              )}
              {debrief.html && <AuthorHtml className="slide-body" html={debrief.html} />}
            </div>
          </Fit>
        ) : (
          voting && (
            <div className="scenario-side">
              <p className="voted">
                {answered} of {joined} voted
              </p>
              <p className="vote-hint">Vote on your phone.</p>
            </div>
          )
        )}
      </div>
    </div>
  );
}

function Split({ results, best }: { results: Bars; best: string | null }) {
  const max = Math.max(1, ...results.counts);
  return (
    <ol className="votes">
      {results.labels.map((l, i) => (
        <li key={l} className={l === best ? 'best' : undefined}>
          <span className="label">
            <OptionMark index={i} />
            <span>{l}</span>
          </span>
          <span className="bar" style={{ width: `${(results.counts[i] / max) * 100}%` }} />
          <span className="count">{results.counts[i]}</span>
        </li>
      ))}
    </ol>
  );
}
