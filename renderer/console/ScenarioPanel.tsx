import type { ConsoleScenario, InstructorCommand, SessionPhase } from '../../shared/protocol';
import { AuthorHtml } from '../ui/AuthorHtml';

interface Props {
  scenario: ConsoleScenario;
  phase: SessionPhase;
  command: (c: InstructorCommand) => void;
}

/**
 * The instructor's side of a role-play decision: the situation, every option with what it leads to,
 * the debrief, and a button per branch (the class's majority marked) to follow.
 */
export function ScenarioPanel({ scenario, phase, command }: Props) {
  const n = scenario.node;
  const voting = phase === 'question';
  return (
    <div className="scenario-panel">
      <p className="scenario-name">
        Scenario: <strong>{scenario.title}</strong> · decision {scenario.path.length + 1}
      </p>
      <AuthorHtml className="situation" html={n.situationHtml} />
      {n.end ? (
        <p className="muted">End of the scenario.</p>
      ) : (
        <>
          {n.prompt && <p className="question-prompt">{n.prompt}</p>}
          <div className="controls">
            <button onClick={() => command({ type: 'openQuestion' })} disabled={voting}>
              Open vote
            </button>
            <button onClick={() => command({ type: 'closeQuestion' })} disabled={!voting}>
              Close vote
            </button>
            <button onClick={() => command({ type: 'showResults' })} disabled={phase === 'results'}>
              Reveal debrief
            </button>
          </div>
          <ul className="branches">
            {n.options.map((o) => (
              <li key={o.id} className={o.id === n.best ? 'best' : undefined}>
                <button onClick={() => command({ type: 'follow', option: o.id })} disabled={voting}>
                  Follow: {o.text}
                </button>
                {o.id === n.best && <span className="tag">recommended</span>}
                {o.id === scenario.majority && <span className="tag majority">class majority</span>}
                {o.feedback && <p className="feedback">{o.feedback}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
      {n.debriefHtml && (
        <details className="debrief" open={phase === 'results' || n.end}>
          <summary>Debrief</summary>
          <AuthorHtml html={n.debriefHtml} />
        </details>
      )}
      {scenario.path.length > 0 && (
        <p className="path muted">
          Path: {scenario.path.map((p) => p.option).join(' → ')}
        </p>
      )}
    </div>
  );
}
