import type { ProjectorView } from '../../shared/protocol';
import { SlideView } from '../ui/SlideView';
import { ScenarioStage } from './ScenarioStage';
import { QaBoard } from './QaBoard';
import { AssessmentStage } from './AssessmentStage';
import { Leaderboard } from './Leaderboard';
import { QuestionStage } from './QuestionStage';
import { Fit } from './Fit';
import './stage.css';

interface Props {
  view: ProjectorView | null;
  /** The socket is not open: the projector says so (the console's picture of it does too). */
  offline?: boolean;
}

/**
 * The projector's 1920×1080 stage for one view: the one thing the server says is on screen
 * (`view.screen`), the join code in its own corner, a black or white screen over everything.
 * Type sizes are chosen once, for the back of the room (body text 40 px at 1080p, never below
 * 28 px). The projector page scales it to its display; the console shows it small, as it is.
 */
export function ProjectorStage({ view, offline = false }: Props) {
  return (
    <div
      className={`stage theme-${view?.theme ?? 'dark'}`}
      data-slide={view?.slide?.id ?? ''}
      data-screen={view?.screen ?? 'idle'}
    >
      {offline && <div className="offline">Reconnecting to Muster…</div>}
      <Screen view={view} />
      {view && view.blank !== 'none' && (
        <div
          className={`blank blank-${view.blank}`}
          data-testid="blank"
          aria-label={`${view.blank} screen`}
        />
      )}
    </div>
  );
}

function Screen({ view }: { view: ProjectorView | null }) {
  if (!view || view.screen === 'idle') return <div className="idle">Muster</div>;
  const join = view.join;
  if (view.screen === 'join' && join) return <JoinScreen view={view} join={join} />;
  if (view.screen === 'ended') return <div className="ended">Session ended — thank you</div>;
  const corner = !!join?.show;
  return (
    <div className={`slide-screen${corner ? ' with-join' : ''}`}>
      <div className="screen-body">
        <Body view={view} />
      </div>
      {corner && join && (
        <div className="join-corner" aria-label="Join">
          {join.qr && <img src={join.qr} alt="" />}
          <span>
            Room <strong>{join.roomCode}</strong>
          </span>
        </div>
      )}
    </div>
  );
}

function Body({ view }: { view: ProjectorView }) {
  switch (view.screen) {
    case 'leaderboard':
      return view.leaderboard ? (
        <Fit fitKey="leaderboard" min={0.75}>
          <Leaderboard rows={view.leaderboard} />
        </Fit>
      ) : null;
    case 'gain':
    case 'assessment':
      return view.assessment ? <AssessmentStage a={view.assessment} /> : null;
    case 'qa':
      return view.qa ? (
        <Fit fitKey={`qa:${view.qa.items.map((q) => `${q.id}.${q.votes}`).join()}`} min={0.7}>
          <QaBoard prompt={view.qa.prompt} items={view.qa.items} />
        </Fit>
      ) : null;
    case 'scenario':
      return view.scenario ? (
        <ScenarioStage
          scenario={view.scenario}
          results={view.results}
          voting={view.phase === 'question' || view.phase === 'closed'}
          answered={view.answered}
          joined={view.joined}
        />
      ) : null;
    case 'question':
    case 'results':
      return view.slide?.question ? <QuestionStage view={view} q={view.slide.question} /> : null;
    default:
      return view.slide ? (
        <Fit fitKey={view.slide.id} min={0.64}>
          <SlideView slide={view.slide} className="projected" />
        </Fit>
      ) : null;
  }
}

function JoinScreen({
  view,
  join,
}: {
  view: ProjectorView;
  join: NonNullable<ProjectorView['join']>;
}) {
  return (
    <div className="join-screen">
      <div className="join-text">
        <h1>{view.title}</h1>
        <p className="join-lead">Join on your phone: scan the code or open</p>
        <p className="join-address">{join.url.replace(/\?.*$/, '')}</p>
        <p className="join-code">
          Room code <strong>{join.roomCode}</strong>
        </p>
        <p className="joined" aria-live="polite">
          {view.joined} joined
        </p>
      </div>
      {join.qr && <img className="join-qr" src={join.qr} alt="QR code to join" />}
    </div>
  );
}
