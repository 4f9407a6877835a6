import type { ConsoleScenario, InstructorCommand, SessionPhase } from '../../shared/protocol';
import { AuthorHtml } from '../ui/AuthorHtml';

interface Props {
  scenario: ConsoleScenario;
  phase: SessionPhase;
  /** The branch the action bar offers as the primary action (left out here). */
  follows: string | null;
  command: (c: InstructorCommand) => void;
}

/**
 * The instructor's side of a role-play decision: every option with what it leads to (the class's
 * majority and the recommended one marked), a button per branch to follow, the debrief and the
 * path so far. Voting and the reveal are the action bar's (ActionBar.tsx).
 */
export function ScenarioPanel({ scenario, phase, follows, command }: Props) {
  const n = scenario.node;
  const voting = phase === 'question';
  return (
    <div className="scenario-panel">
      <p className="scenario-name">
        Scenario: <strong>{scenario.title}</strong> · decision {scenario.path.length + 1}
      </p>
      {n.end ? (
        <p className="muted">End of the scenario.</p>
      ) : (
        <>
          {n.prompt && <p className="question-prompt">{n.prompt}</p>}
          <ul className="branches">
            {n.options.map((o) => (
              <li key={o.id} className={o.id === n.best ? 'best' : undefined}>
                {o.id === follows ? (
                  <span className="followed">{o.text}</span>
                ) : (
                  <button
                    onClick={() => command({ type: 'follow', option: o.id })}
                    disabled={voting}
                  >
                    Follow: {o.text}
                  </button>
                )}
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
        <p className="path muted">Path: {scenario.path.map((p) => p.option).join(' → ')}</p>
      )}
    </div>
  );
}
