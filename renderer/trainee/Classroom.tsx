import { useId, useState } from 'react';
import { QaSection } from './QaSection';
import { ScreenHeading } from './ScreenHeading';
import { AnswerInput } from './AnswerInput';
import { AssessmentScreen } from './Assessment';
import { GameCard, NicknameForm } from './GameCard';
import { connection, sentence } from './room';
import type { ConnState } from './connection';

const KEY_HIDE_PROMPT = 'muster.hidePrompt';

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

/** The class as a joined phone sees it: waiting, a question, the assessment, Q&A, the game. */
export default function Classroom({ s }: { s: ConnState }) {
  const v = s.view;
  const q = v?.question ?? null;
  const [ownHide, setOwnHide] = useHidePrompt();
  // The instructor can hide the question text on every phone (the projector shows it); a trainee
  // who cannot see the projector can still bring it back on their own phone.
  const [showAnyway, setShowAnyway] = useState(false);
  const classHide = !!v?.hidePrompt;
  const hidePrompt = classHide ? !showAnyway : ownHide;
  const setHidePrompt = (h: boolean) => (classHide ? setShowAnyway(!h) : setOwnHide(h));
  const promptId = useId();
  const pending = q ? s.pending.find((p) => p.runId === q.runId) : undefined;
  const mine = pending?.value ?? (q && s.confirmed?.runId === q.runId ? s.confirmed.value : undefined);
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
          <QaSection
            items={v?.qa ?? []}
            voted={s.voted}
            sending={s.asking.length}
            sent={s.asked}
            onAsk={(text, anonymous) => connection.ask(text, anonymous)}
            onVote={(qaId) => connection.vote(qaId)}
          />
        </>
      ) : (
        <div className="question">
          <ScreenHeading screen={`q:${q.runId}`} className={`prompt ${hidePrompt ? 'visually-hidden' : ''}`}>
            <span id={promptId}>{q.q.prompt}</span>
          </ScreenHeading>
          <AnswerInput key={q.runId} q={q.q} open={q.open} mine={mine} labelledBy={promptId} onAnswer={(value) => connection.answer(q.runId, value)} />
          <Receipt open={q.open} pending={!!pending} online={s.online} confirmed={!pending && mine !== undefined} />
          {s.notice && (
            <p className="t-error" role="alert">
              {s.notice}
            </p>
          )}
          {v.reveal && (v.reveal.correct || v.reveal.explanation) && (
            <div className="reveal" role="region" aria-label="Correct answer">
              {v.reveal.correct && (
                <p>
                  Correct answer: <strong>{v.reveal.correct.join(', ')}</strong>
                </p>
              )}
              {v.reveal.explanation && <p>{v.reveal.explanation}</p>}
            </div>
          )}
          {v.game && v.reveal && s.game && <GameCard game={s.game} runId={q.runId} />}
          <button type="button" className="toggle-prompt" onClick={() => setHidePrompt(!hidePrompt)}>
            {hidePrompt ? 'Show the question text' : 'Hide the question text'}
          </button>
        </div>
      )}
      {s.error && (
        <p className="t-error" role="alert">
          {sentence(s.error)}
        </p>
      )}
    </section>
  );
}

/** What happened to this phone's answer; "Answer received" only once the server has stored it. */
function Receipt({ open, pending, online, confirmed }: { open: boolean; pending: boolean; online: boolean; confirmed: boolean }) {
  let text = '';
  let kind = '';
  if (pending && online) text = 'Sending…';
  else if (pending) {
    text = 'Saved on this phone. It will be sent when you reconnect.';
    kind = 'queued';
  } else if (confirmed) {
    text = 'Answer received';
    kind = 'ok';
  }
  return (
    <div className={`receipt-box ${open ? '' : 'closed'}`}>
      <p className={`receipt ${kind}`} role="status">
        {kind === 'ok' && <span aria-hidden="true">✓ </span>}
        {text}
      </p>
      {!open && <p className="closed-note">This question is closed.</p>}
    </div>
  );
}
