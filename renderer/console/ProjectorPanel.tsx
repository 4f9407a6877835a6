import type { BlankMode, InstructorCommand, ProjectorView } from '../../shared/protocol';
import { useInstructorSocket } from '../ui/hooks/useInstructorSocket';
import { ScaledStage } from './ScaledStage';
import { screenLabel } from './actions';

interface Props {
  blank: BlankMode;
  joinShown: boolean;
  command: (c: InstructorCommand) => void;
}

/**
 * What the projector shows right now: the console holds its own projector connection and draws
 * the same view with the same component, small, with a label saying what it is. A black or white
 * screen is a state you can see here, not only a pressed button.
 */
export function ProjectorPanel({ blank, joinShown, command }: Props) {
  const { view, status } = useInstructorSocket<ProjectorView>('projector');
  const label = screenLabel(status === 'open' ? view : null);
  return (
    <section
      className={`panel screen-panel${blank !== 'none' ? ` blanked blanked-${blank}` : ''}`}
      aria-label="Projector"
    >
      <h2 className="panel-title">
        On the projector:{' '}
        <span className="screen-label" data-testid="screen-label">
          {label}
        </span>
      </h2>
      <ScaledStage
        view={view}
        offline={status !== 'open'}
        className="thumb"
        label={`The projector shows: ${label}`}
      />
      <div className="controls screen-controls">
        <button
          aria-pressed={blank === 'black'}
          onClick={() => command({ type: 'blank', mode: 'black', toggle: true })}
        >
          Black (B)
        </button>
        <button
          aria-pressed={blank === 'white'}
          onClick={() => command({ type: 'blank', mode: 'white', toggle: true })}
        >
          White (W)
        </button>
        <button
          aria-pressed={joinShown}
          onClick={() => command({ type: 'showJoin', show: !joinShown })}
        >
          {joinShown ? 'Hide join code' : 'Show join code'}
        </button>
      </div>
    </section>
  );
}
