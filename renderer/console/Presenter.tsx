import { useEffect, useState } from 'react';
import type { ConsoleView, InstructorCommand } from '../../shared/protocol';
import { AuthorHtml } from '../ui/AuthorHtml';
import { Results } from '../ui/Results';
import { SlideOverview } from './SlideOverview';
import { ScenarioPanel } from './ScenarioPanel';
import { QaPanel } from './QaPanel';
import { AssessmentPanel } from './AssessmentPanel';
import { GamePanel } from './GamePanel';
import { ActionBar } from './ActionBar';
import { ProjectorPanel } from './ProjectorPanel';
import { ScaledStage, previewOf } from './ScaledStage';
import { JoinPanel, SessionPanel, TraineesPanel } from './RoomPanels';
import { actionsFor } from './actions';

type Session = NonNullable<ConsoleView['session']>;

interface Props {
  s: Session;
  view: ConsoleView;
  token: string;
  command: (c: InstructorCommand) => void;
  /** Saves one of the session's records files (the PDFs are under Session). */
  download: (file: 'sign-in.pdf' | 'results.pdf') => void;
}

type RoomTab = 'results' | 'qa' | 'assessment' | 'game';
type PeopleTab = 'trainees' | 'join' | 'session';

/**
 * The console while a class runs, for a laptop under pressure (1280×800 up to 1920×1080): the
 * current slide large with the one primary action under it; the projector as the room sees it,
 * the next slide and the notes beside it; results, Q&A, tests, the game and the people in the
 * room on the right. Every panel scrolls on its own; nothing is cut off.
 */
export function Presenter({ s, view, token, command, download }: Props) {
  const [tab, setTab] = useState<RoomTab>('results');
  const [people, setPeople] = useState<PeopleTab>('trainees');
  const actions = actionsFor(s);

  // An assessment that opens (here or before a restart) is what the instructor follows next; a
  // question that opens, its answers arriving.
  const assessmentId = s.assessment?.id ?? null;
  useEffect(() => {
    if (assessmentId) setTab('assessment');
  }, [assessmentId]);
  useEffect(() => {
    if (s.runId) setTab('results');
  }, [s.runId]);

  const sc = s.scenario;
  const scenarioPreview = sc
    ? {
        title: sc.title,
        nodeId: sc.node.id,
        situationHtml: sc.node.situationHtml,
        prompt: sc.node.prompt,
        end: sc.node.end,
        step: sc.path.length,
        debrief: null,
      }
    : null;
  const notesHtml = sc ? sc.node.notesHtml : s.notesHtml;
  const pending = s.qa.filter((q) => q.status === 'pending').length;

  return (
    <main className="presenter">
      <section className="col-now" aria-label="Current slide">
        <div className="now-head">
          <h2 className="panel-title">
            Slide {s.slideIndex + 1} of {s.slideCount}
          </h2>
          <span className="phase">
            {s.assessment?.open ? `${s.assessment.title} open` : phaseLabel(s.phase)}
          </span>
          {s.modules.length > 1 && (
            <label className="module-pick">
              Module{' '}
              <select
                value={s.moduleFile}
                disabled={s.phase === 'question' || !!s.assessment?.open}
                onChange={(e) => {
                  const m = s.modules.find((x) => x.file === e.target.value);
                  if (m && confirm(`Move the class on to “${m.title}”? Everyone stays joined.`))
                    command({ type: 'switchModule', file: m.file });
                }}
              >
                {s.modules.map((m) => (
                  <option key={m.file} value={m.file}>
                    {m.title}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {s.slide && (
          <ScaledStage
            className="now-slide"
            view={previewOf(s.slide, s.theme, scenarioPreview)}
            label={`Current slide: ${s.slide.title}`}
          />
        )}
        <ActionBar s={s} actions={actions} command={command} />
        <div className="now-more">
          <section className="panel next-panel" aria-label="Next slide" tabIndex={0}>
            <h2 className="panel-title">Next</h2>
            {s.next ? (
              <>
                <ScaledStage
                  className="thumb"
                  view={previewOf(s.next, s.theme)}
                  label={`Next slide: ${s.next.title}`}
                />
                <p className="next-title">{s.next.title}</p>
              </>
            ) : (
              <p className="muted">End of the module</p>
            )}
          </section>
          <section className="panel now-list" aria-label={sc ? 'Scenario' : 'Slides'} tabIndex={0}>
            {sc ? (
              <ScenarioPanel
                scenario={sc}
                phase={s.phase}
                follows={actions.follows}
                command={command}
              />
            ) : (
              <>
                <h2 className="panel-title">Slides</h2>
                <SlideOverview
                  outline={s.outline}
                  current={s.slideIndex}
                  disabled={s.phase === 'question'}
                  onGo={(index) => command({ type: 'goto', index })}
                />
              </>
            )}
          </section>
        </div>
      </section>

      <section className="col-presenter" aria-label="Presenter">
        <ProjectorPanel blank={s.blank} joinShown={s.join.show} command={command} />
        <section className="panel notes" aria-label="Speaker notes" tabIndex={0}>
          <h2 className="panel-title">Notes</h2>
          {notesHtml ? (
            <AuthorHtml className="notes-text" html={notesHtml} />
          ) : (
            <p className="notes-text muted">No notes for this slide.</p>
          )}
        </section>
      </section>

      <section className="col-room" aria-label="The room">
        <section className="panel room-panel results" aria-label="Live results">
          <div className="tabs" role="group" aria-label="Show">
            <button aria-pressed={tab === 'results'} onClick={() => setTab('results')}>
              Results
            </button>
            <button aria-pressed={tab === 'qa'} onClick={() => setTab('qa')}>
              Q&amp;A ({pending} new)
            </button>
            <button aria-pressed={tab === 'assessment'} onClick={() => setTab('assessment')}>
              Tests
              {s.assessment?.open ? ` (${s.assessment.submitted}/${s.assessment.rows.length})` : ''}
            </button>
            <button aria-pressed={tab === 'game'} onClick={() => setTab('game')}>
              Game{s.game.mode === 'off' ? '' : ' (on)'}
            </button>
          </div>
          <div className="tab-body" tabIndex={0}>
            {tab === 'game' ? (
              <GamePanel game={s.game} command={command} />
            ) : tab === 'assessment' ? (
              <AssessmentPanel
                available={s.assessments}
                assessment={s.assessment}
                gain={s.gain}
                showGain={s.showGain}
                questionOpen={s.phase === 'question'}
                command={command}
              />
            ) : tab === 'qa' ? (
              <QaPanel items={s.qa} showing={s.showQa} command={command} />
            ) : s.results ? (
              <>
                <p className="answered-count">
                  {s.results.answered} of {s.trainees.length} answered
                  {s.remainingMs !== null && ` · ${Math.ceil(s.remainingMs / 1000)} s left`}
                  {s.phase !== 'results' && (
                    <span className="muted"> · the room does not see these yet</span>
                  )}
                </p>
                <Results results={s.results} />
              </>
            ) : (
              <p className="muted">Open a question to see answers arrive.</p>
            )}
          </div>
        </section>
        <section className="panel room-panel people" aria-label="People">
          <div className="tabs" role="group" aria-label="People">
            <button aria-pressed={people === 'trainees'} onClick={() => setPeople('trainees')}>
              Trainees
            </button>
            <button aria-pressed={people === 'join'} onClick={() => setPeople('join')}>
              Join
            </button>
            <button aria-pressed={people === 'session'} onClick={() => setPeople('session')}>
              Session
            </button>
          </div>
          <div className="tab-body" tabIndex={0}>
            {/* All three stay in the page (hidden when not chosen): the join address and the room code are always at hand. */}
            <div hidden={people !== 'trainees'}>
              <TraineesPanel s={s} roster={view.roster} token={token} command={command} />
            </div>
            <div hidden={people !== 'join'}>
              <JoinPanel s={s} hosts={view.hosts} command={command} />
            </div>
            <div hidden={people !== 'session'}>
              <SessionPanel s={s} command={command} download={download} />
            </div>
          </div>
        </section>
      </section>
    </main>
  );
}

export function phaseLabel(p: string): string {
  return (
    {
      lobby: 'Waiting for trainees',
      presenting: 'Presenting',
      question: 'Question open',
      closed: 'Question closed',
      results: 'Results shown',
      ended: 'Ended',
    }[p] ?? p
  );
}
