import { useEffect, useId, useRef } from 'react';
import type { FormEvent } from 'react';
import type { TraineeGame } from '../../shared/protocol';

const n = (x: number) => x.toLocaleString('en-US');

/**
 * The optional game on the phone: this trainee's own points and rank (never anyone else's), and in
 * leaderboard mode the nickname they play under. `runId`: the question on screen, to say what it earned.
 */
export function GameCard({ game, runId }: { game: TraineeGame; runId?: string }) {
  const headingId = useId();
  const thisQuestion = runId && game.last?.runId === runId ? game.last.points : null;
  return (
    <section className="game-card" aria-labelledby={headingId}>
      <h2 id={headingId}>Game points</h2>
      {thisQuestion !== null && (
        <p className="game-last">
          {thisQuestion > 0
            ? `+${n(thisQuestion)} for this question`
            : 'No points for this question'}
        </p>
      )}
      <p className="game-total" role="status">
        {game.last === null ? (
          // Nothing counted yet: no rank to give.
          'Points start with the first question you get right.'
        ) : (
          <>
            <strong>{n(game.points)}</strong> points · rank {game.rank} of {game.of}
          </>
        )}
      </p>
      {game.streak >= 2 && <p className="game-streak">{game.streak} right in a row</p>}
      {game.mode === 'leaderboard' && (
        <p className="hint">
          On the leaderboard as <strong>{game.nickname}</strong>
        </p>
      )}
      <p className="hint">
        Just for fun: your training record counts correct answers only, never speed.
      </p>
    </section>
  );
}

/** Leaderboard mode: an optional nickname instead of the automatic one ("Unit 7"); never the trainee's name. */
export function NicknameForm({
  current,
  saving,
  error,
  onSave,
}: {
  current: string;
  saving: boolean;
  error: string | null;
  onSave: (nickname: string) => void;
}) {
  const hintId = useId();
  const errorId = useId();
  const details = useRef<HTMLDetailsElement>(null);
  // Saved (or reset by the instructor): the form folds away, the card shows the new nickname.
  useEffect(() => {
    if (details.current) details.current.open = false;
  }, [current]);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSave(String(new FormData(e.currentTarget).get('nickname') ?? ''));
  };
  return (
    <details className="nick" ref={details}>
      <summary>Change nickname</summary>
      <form className="nick-form" onSubmit={submit}>
        <label>
          Nickname on the leaderboard
          <input
            key={current}
            name="nickname"
            defaultValue={current}
            maxLength={24}
            autoComplete="off"
            enterKeyHint="done"
            aria-describedby={[hintId, error ? errorId : ''].filter(Boolean).join(' ')}
          />
        </label>
        <span className="hint" id={hintId}>
          Shown on the projector instead of your name. Up to 24 characters; leave it empty for an
          automatic one.
        </span>
        {error && (
          <p className="t-error" role="alert" id={errorId}>
            {error.charAt(0).toUpperCase() + error.slice(1)}
          </p>
        )}
        <button className="big primary" type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save nickname'}
        </button>
      </form>
    </details>
  );
}
