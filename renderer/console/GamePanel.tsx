import type { ConsoleGame, GameMode, InstructorCommand } from '../../shared/protocol';

interface Props {
  game: ConsoleGame;
  command: (c: InstructorCommand) => void;
}

const MODES: { mode: GameMode; label: string; hint: string }[] = [
  { mode: 'off', label: 'Off', hint: 'No points, no leaderboard.' },
  {
    mode: 'leaderboard',
    label: 'Leaderboard',
    hint: 'Speed points; top 10 by nickname on the projector when you show it.',
  },
  {
    mode: 'private',
    label: 'Private',
    hint: 'Speed points; each phone sees only its own points and rank.',
  },
];

/**
 * The optional game layer: off by default. Points are for fun and never enter the record (which
 * counts correct answers only). Nicknames are trainee text: rendered as text; the instructor sees
 * the real name next to each and can reset one that is not fit for the projector.
 */
export function GamePanel({ game, command }: Props) {
  return (
    <div className="game-panel">
      <fieldset className="game-mode">
        <legend>Game</legend>
        {MODES.map((m) => (
          <label key={m.mode} title={m.hint}>
            <input
              type="radio"
              name="game-mode"
              value={m.mode}
              checked={game.mode === m.mode}
              onChange={() => command({ type: 'gameMode', mode: m.mode })}
            />{' '}
            {m.label}
          </label>
        ))}
      </fieldset>
      <p className="muted">
        {MODES.find((m) => m.mode === game.mode)?.hint} Points: 500 for a right answer, up to 500
        more for speed, up to 500 for a streak. The record counts correct answers only.
      </p>
      {game.mode === 'leaderboard' && (
        <button
          aria-pressed={game.show}
          onClick={() => command({ type: 'showLeaderboard', show: !game.show })}
        >
          {game.show ? 'Hide leaderboard' : 'Show leaderboard'}
        </button>
      )}
      {game.mode !== 'off' && (
        <>
          <p className="muted">
            {game.questions} question{game.questions === 1 ? '' : 's'} counted (a question counts
            when you show its results).
          </p>
          <table className="game-table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Nickname</th>
                <th>Trainee</th>
                <th className="num">Points</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {game.standings.map((r) => (
                <tr key={r.traineeId}>
                  <td className="num">{r.rank}</td>
                  <td>{r.nickname}</td>
                  <td>{r.name}</td>
                  <td className="num">{r.points.toLocaleString('en-US')}</td>
                  <td>
                    {r.custom && (
                      <button
                        className="small"
                        onClick={() => command({ type: 'resetNickname', traineeId: r.traineeId })}
                        aria-label={`Reset nickname ${r.nickname} (${r.name})`}
                      >
                        Reset
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
