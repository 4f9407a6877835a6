import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { TraineeConnection } from './connection';
import { QaSection } from './QaSection';
import { ScreenHeading } from './ScreenHeading';
import { QuestionScreen } from './QuestionScreen';
import { AssessmentScreen } from './Assessment';
import { GameCard, NicknameForm } from './GameCard';
import type { ConnState } from './connection';

const connection = new TraineeConnection(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/trainee`);

const KEY_HIDE_PROMPT = 'muster.hidePrompt';

function useConnection(): ConnState {
  const [state, setState] = useState(connection.state);
  useEffect(() => connection.subscribe(setState), []);
  return state;
}

/** A phone setting: hide the question text when the projector shows it (the screen reader still reads it). */
function useHidePrompt(): [boolean, (hide: boolean) => void] {
  const [hide, setHide] = useState(() => {
    try {
      return localStorage.getItem(KEY_HIDE_PROMPT) === '1';
    } catch {
      return false;
    }
  });
  const update = (h: boolean) => {
    setHide(h);
    try {
      localStorage.setItem(KEY_HIDE_PROMPT, h ? '1' : '0');
    } catch {
      // a setting only: fine to lose
    }
  };
  return [hide, update];
}

/** Server messages are written for logs too ("that room code is …"): start them with a capital. */
const sentence = (m: string) => m.charAt(0).toUpperCase() + m.slice(1);

/** The trainee's phone: join, wait, answer with big buttons, see "Answer received". */
export function Trainee() {
  const s = useConnection();
  const status = s.online || s.claim ? 'Connected' : s.needsJoin ? (s.joining ? 'Connecting…' : '') : 'Reconnecting…';
  return (
    <div className="trainee">
      <header className="t-head">
        <span className="brand">Muster</span>
        <span className={`net ${s.online ? 'on' : 'off'}`} role="status">
          {status}
        </span>
      </header>
      <main>{s.claim ? <ClaimWait message={s.claim} /> : s.needsJoin ? <JoinForm error={s.error} joining={s.joining} /> : <Classroom s={s} />}</main>
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
        <input name="name" autoComplete="name" required maxLength={80} aria-describedby={described} />
      </label>
      <label>
        Officer ID
        <input name="officerId" required maxLength={32} autoCapitalize="characters" autoComplete="off" aria-describedby={described} />
      </label>
      <label>
        Agency
        <input name="agency" autoComplete="organization" required maxLength={120} aria-describedby={described} />
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

function Classroom({ s }: { s: ConnState }) {
  const v = s.view;
  const q = v?.question ?? null;
  const [ownHide, setOwnHide] = useHidePrompt();
  // The instructor can hide the question text on every phone (the projector shows it); a trainee
  // who cannot see the projector can still bring it back on their own phone.
  const [showAnyway, setShowAnyway] = useState(false);
  const classHide = !!v?.hidePrompt;
  const hidePrompt = classHide ? !showAnyway : ownHide;
  const setHidePrompt = (h: boolean) => (classHide ? setShowAnyway(!h) : setOwnHide(h));
  const qa = (
    <QaSection
      items={v?.qa ?? []}
      voted={s.voted}
      sending={s.asking.length}
      sent={s.asked}
      onAsk={(text, anonymous) => connection.ask(text, anonymous)}
      onVote={(qaId) => connection.vote(qaId)}
      folded={!!q}
    />
  );
  return (
    <section className="room">
      {s.identityNotice && (
        <div className="t-error identity-notice" role="alert">
          <p>{s.identityNotice}</p>
          <button type="button" onClick={() => connection.dismissNotice()}>
            OK
          </button>
        </div>
      )}
      {s.joined && (
        <p className="who">
          <span className="visually-hidden">Joined as </span>
          {s.joined.name}
        </p>
      )}
      {v?.phase === 'ended' ? (
        // The last question may still be in the view: the end of the class comes first.
        <div className="waiting">
          <ScreenHeading screen="ended">The session has ended</ScreenHeading>
          <p>Thank you. Your attendance and answers are saved.</p>
        </div>
      ) : v?.assessment ? (
        <AssessmentScreen
          key={v.assessment.id}
          a={v.assessment}
          s={s}
          onAnswer={(runId, value) => connection.answer(runId, value)}
          onSubmit={(id) => connection.submit(id)}
        />
      ) : !v || !q ? (
        <>
          <div className="waiting">
            <ScreenHeading screen="waiting">You are in</ScreenHeading>
            <p>Watch the screen. Questions will appear here.</p>
          </div>
          {v?.game && s.game && <GameCard game={s.game} />}
          {v?.game === 'leaderboard' && s.game && (
            <NicknameForm current={s.game.nickname} saving={s.nickname.saving} error={s.nickname.error} onSave={(nickname) => connection.setNickname(nickname)} />
          )}
          {qa}
        </>
      ) : (
        <>
          <QuestionScreen s={s} hidePrompt={hidePrompt} setHidePrompt={setHidePrompt} onAnswer={(runId, value) => connection.answer(runId, value)} />
          {/* Questions for the instructor stay at hand during any slide, folded under the answer. */}
          {qa}
        </>
      )}
      {s.error && (
        <p className="t-error" role="alert">
          {sentence(s.error)}
        </p>
      )}
    </section>
  );
}
