import { useState } from 'react';
import { QaSection } from './QaSection';
import { ScreenHeading } from './ScreenHeading';
import { QuestionScreen } from './QuestionScreen';
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
            <NicknameForm
              current={s.game.nickname}
              saving={s.nickname.saving}
              error={s.nickname.error}
              onSave={(nickname) => connection.setNickname(nickname)}
            />
          )}
          {qa}
        </>
      ) : (
        <>
          <QuestionScreen
            s={s}
            hidePrompt={hidePrompt}
            setHidePrompt={setHidePrompt}
            onAnswer={(runId, value) => connection.answer(runId, value)}
          />
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
