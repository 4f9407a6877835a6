import type {
  AssessmentSummary,
  ConsoleAssessment,
  InstructorCommand,
  KnowledgeGain,
} from '../../shared/protocol';

interface Props {
  available: AssessmentSummary[];
  assessment: ConsoleAssessment | null;
  gain: KnowledgeGain | null;
  showGain: boolean;
  /** A live question is open: an assessment waits until it closes. */
  questionOpen: boolean;
  command: (cmd: InstructorCommand) => void;
}

const pct = (x: number | null) => (x === null ? '—' : `${x}%`);
const signed = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${x} points`);

/**
 * Self-paced assessments: start the pre-test, post-test or evaluation, follow completion live
 * (who has answered how much, who has handed in), close it, and put the knowledge gain on the projector.
 */
export function AssessmentPanel({
  available,
  assessment: a,
  gain,
  showGain,
  questionOpen,
  command,
}: Props) {
  if (!a)
    return (
      <div className="assessment-panel">
        {available.length === 0 ? (
          <p className="muted">This course has no assessments.</p>
        ) : (
          <ul className="assessment-list">
            {available.map((x) => (
              <li key={x.key}>
                <span>
                  <strong>{x.title}</strong>{' '}
                  <span className="muted">
                    {x.questions} questions{x.minutes ? ` · ${x.minutes} min` : ''}
                  </span>
                </span>
                <button
                  onClick={() => command({ type: 'openAssessment', key: x.key })}
                  disabled={questionOpen}
                >
                  Start {x.title.toLowerCase()}
                </button>
              </li>
            ))}
          </ul>
        )}
        {questionOpen && <p className="muted">Close the question to start an assessment.</p>}
        <GainControls gain={gain} showGain={showGain} command={command} />
      </div>
    );

  const done = a.rows.filter((r) => r.submitted).length;
  return (
    <div className="assessment-panel">
      <p className="assessment-status">
        <strong>{a.title}</strong> · {a.open ? 'open' : 'closed'} · {done} of {a.rows.length}{' '}
        submitted
      </p>
      <progress
        value={done}
        max={Math.max(1, a.rows.length)}
        aria-label={`${a.title}: submitted`}
      />
      <div className="controls">
        {a.open ? (
          <button className="primary" onClick={() => command({ type: 'closeAssessment' })}>
            Close {a.title.toLowerCase()}
          </button>
        ) : (
          <button onClick={() => command({ type: 'dismissAssessment' })}>Back to slides</button>
        )}
      </div>
      {a.kind === 'posttest' && !a.open && (
        <GainControls gain={gain} showGain={showGain} command={command} />
      )}
      <table className="assessment-table">
        <thead>
          <tr>
            <th scope="col">Trainee</th>
            <th scope="col" className="num">
              Answered
            </th>
            <th scope="col">Handed in</th>
            {a.graded > 0 && (
              <th scope="col" className="num">
                Score
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {a.rows.map((r) => (
            <tr key={r.traineeId} className={r.connected ? '' : 'off'}>
              <td>
                {r.name} <span className="muted">{r.officerId}</span>
              </td>
              <td className="num">
                {r.answered}/{a.questions}
              </td>
              <td>{r.submitted ? '✓ yes' : 'no'}</td>
              {a.graded > 0 && <td className="num">{pct(r.scorePercent)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function GainControls({
  gain,
  showGain,
  command,
}: {
  gain: KnowledgeGain | null;
  showGain: boolean;
  command: (cmd: InstructorCommand) => void;
}) {
  return (
    <div className="gain-controls">
      <button
        aria-pressed={showGain}
        onClick={() => command({ type: 'showGain', show: !showGain })}
      >
        {showGain ? 'Hide knowledge gain' : 'Show knowledge gain'}
      </button>
      {gain && (
        <p>
          {gain.matched} trainees with both tests: pre-test {pct(gain.preMean)}, post-test{' '}
          {pct(gain.postMean)}, gain {signed(gain.gain)}.
        </p>
      )}
    </div>
  );
}
