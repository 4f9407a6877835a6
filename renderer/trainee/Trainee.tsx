import { Suspense, lazy, useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ScreenHeading } from './ScreenHeading';
import { connection, sentence } from './room';
import type { ConnState } from './connection';

/**
 * The first load is the join form and the connection, nothing more: on the room's radio every
 * kilobyte is felt. The classroom (questions, the assessment, Q&A, the game) is its own chunk,
 * fetched as soon as the form is on screen — while the trainee types — and shown once joined.
 */
const loadClassroom = () => import('./Classroom');
const Classroom = lazy(loadClassroom);

function useConnection(): ConnState {
  const [state, setState] = useState(connection.state);
  useEffect(() => connection.subscribe(setState), []);
  return state;
}

/** The trainee's phone: join, wait, answer with big buttons, see "Answer received". */
export function Trainee() {
  const s = useConnection();
  useEffect(() => {
    void loadClassroom();
  }, []);
  const status =
    s.online || s.claim
      ? 'Connected'
      : s.needsJoin
        ? s.joining
          ? 'Connecting…'
          : ''
        : 'Reconnecting…';
  return (
    <div className="trainee">
      <header className="t-head">
        <span className="brand">Muster</span>
        <span className={`net ${s.online ? 'on' : 'off'}`} role="status">
          {status}
        </span>
      </header>
      <main>
        {s.claim ? (
          <ClaimWait message={s.claim} />
        ) : s.needsJoin ? (
          <JoinForm error={s.error} joining={s.joining} />
        ) : (
          <Suspense fallback={<p className="waiting">Loading…</p>}>
            <Classroom s={s} />
          </Suspense>
        )}
      </main>
    </div>
  );
}

/** This officer ID is already in the class on another phone: the instructor is asked to confirm. */
function ClaimWait({ message }: { message: string }) {
  return (
    <div className="waiting claim-wait">
      <ScreenHeading screen="claim">Waiting for the instructor</ScreenHeading>
      <p role="status">{message}</p>
    </div>
  );
}

function JoinForm({ error, joining }: { error: string | null; joining: boolean }) {
  const room = new URLSearchParams(location.search).get('room') ?? '';
  const errorId = useId();
  const roomHintId = useId();
  const errorRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    // The reply to a join: move to it, so the trainee hears it and Tab goes on to the fields.
    if (error) errorRef.current?.focus();
  }, [error]);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    connection.join({
      name: String(f.get('name') ?? ''),
      officerId: String(f.get('officerId') ?? ''),
      agency: String(f.get('agency') ?? ''),
      roomCode: String(f.get('roomCode') ?? '').trim(),
    });
  };
  const described = error ? errorId : undefined;
  return (
    <form className="join-form" onSubmit={submit} aria-labelledby="join-title">
      <ScreenHeading screen="join">
        <span id="join-title">Join the class</span>
      </ScreenHeading>
      <label>
        Name
        <input
          name="name"
          autoComplete="name"
          required
          maxLength={80}
          aria-describedby={described}
        />
      </label>
      <label>
        Officer ID
        <input
          name="officerId"
          required
          maxLength={32}
          autoCapitalize="characters"
          autoComplete="off"
          aria-describedby={described}
        />
      </label>
      <label>
        Agency
        <input
          name="agency"
          autoComplete="organization"
          required
          maxLength={120}
          aria-describedby={described}
        />
      </label>
      <div className="field">
        <label>
          Room code
          <input
            name="roomCode"
            defaultValue={room}
            required
            inputMode="numeric"
            pattern="[0-9]{6}"
            maxLength={6}
            autoComplete="off"
            aria-describedby={[roomHintId, described].filter(Boolean).join(' ')}
          />
        </label>
        <span className="hint" id={roomHintId}>
          6 digits, shown on the screen
        </span>
      </div>
      {error && (
        <p className="t-error" role="alert" id={errorId} tabIndex={-1} ref={errorRef}>
          {sentence(error)}
        </p>
      )}
      <button className="big primary" type="submit" disabled={joining}>
        {joining ? 'Joining…' : 'Join'}
      </button>
    </form>
  );
}
