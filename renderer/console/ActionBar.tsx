import type { ConsoleView, InstructorCommand } from '../../shared/protocol';
import type { Actions } from './actions';

type Session = NonNullable<ConsoleView['session']>;

interface Props {
  s: Session;
  actions: Actions;
  command: (c: InstructorCommand) => void;
}

/**
 * Under the current slide: Previous, the one primary action for the moment (large, in the accent
 * colour), the few others that make sense now, and the keys that do the same.
 */
export function ActionBar({ s, actions, command }: Props) {
  const { primary, others } = actions;
  const locked = s.phase === 'question';
  return (
    <div className="action-area">
      <div className="step-actions" role="group" aria-label="Presenting">
        <button
          className="prev"
          onClick={() => command({ type: 'prev' })}
          disabled={s.slideIndex === 0 || locked}
        >
          ‹ Previous slide
        </button>
        {primary ? (
          <button
            className={`primary next-step${primary.label.length > 40 ? ' long' : ''}`}
            onClick={() => command(primary.cmd)}
          >
            {primary.label}
            {primary.key && (
              <kbd className="key" aria-hidden="true">
                {primary.key}
              </kbd>
            )}
          </button>
        ) : (
          <span className="next-step done">
            {s.slideIndex >= s.slideCount - 1 ? 'Last slide' : ''}
          </span>
        )}
        {others.map((a) => (
          <button key={a.label} onClick={() => command(a.cmd)}>
            {a.label}
          </button>
        ))}
      </div>
      <p className="keys">
        Keys: <kbd>→</kbd> <kbd>Space</kbd> next · <kbd>←</kbd> previous · <kbd>B</kbd> black screen
        · <kbd>W</kbd> white screen
      </p>
    </div>
  );
}
