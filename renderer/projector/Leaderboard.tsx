import type { LeaderboardRow } from '../../shared/protocol';

/**
 * The game's top 10 on the projector: nicknames and points only, never a name or an officer ID.
 * Nicknames are trainee text: rendered as text only.
 */
export function Leaderboard({ rows }: { rows: LeaderboardRow[] }) {
  return (
    <div className="leaderboard">
      <h1>Leaderboard</h1>
      <p className="lb-note">
        Game points, for fun: the training record counts correct answers only.
      </p>
      {rows.length === 0 ? (
        <p className="lb-empty">No one has joined yet.</p>
      ) : (
        <ol>
          {rows.map((r) => (
            <li
              key={`${r.rank}-${r.nickname}`}
              className={r.rank <= 3 ? `top top-${r.rank}` : undefined}
            >
              <span className="lb-rank">{r.rank}</span>
              <span className="lb-nick">{r.nickname}</span>
              <span className="lb-points">{r.points.toLocaleString('en-US')}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
