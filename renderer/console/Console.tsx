import { useEffect, useState } from 'react';
import type { ConsoleView } from '../../shared/protocol';
import type { ProjectorTheme } from '../../shared/vocabulary';
import { useInstructorSocket } from '../ui/hooks/useInstructorSocket';
import { SlideView } from '../ui/SlideView';
import { AuthorHtml } from '../ui/AuthorHtml';
import { Results } from '../ui/Results';
import { bridge } from '../platform';
import { Library, deckKey } from './Library';
import { PresenterTimer } from './PresenterTimer';
import { SlideOverview } from './SlideOverview';
import { ScenarioPanel } from './ScenarioPanel';
import { QaPanel } from './QaPanel';
import { SessionDetails } from './SessionDetails';
import { PdfImport } from './PdfImport';
import { Records } from './Records';
import { RosterImport } from './RosterImport';
import { TraineeCorrection } from './TraineeCorrection';
import { AssessmentPanel } from './AssessmentPanel';
import { GamePanel } from './GamePanel';
import { ClaimsPanel } from './ClaimsPanel';

/** The instructor's presenter console: start a class, present, run polls, see who is here, export. */
export function Console() {
  const { view, status, command, lastError, token } = useInstructorSocket<ConsoleView>('console');
  const [deck, setDeck] = useState('');
  const [showRecords, setShowRecords] = useState(false);
  const [tab, setTab] = useState<'results' | 'qa' | 'assessment' | 'game'>('results');
  const s = view?.session ?? null;
  const live = s && s.phase !== 'ended';

  useEffect(() => {
    if (!deck && view?.decks.length) setDeck(deckKey(view.decks[0]));
  }, [view, deck]);

  // Presentation clickers send arrows, PageUp/PageDown, and B or "." for a black screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!live || showRecords || e.ctrlKey || e.metaKey || e.altKey || (e.target as HTMLElement).closest('input, select, textarea')) return;
      if (['ArrowRight', 'ArrowDown', 'PageDown', ' '].includes(e.key)) command({ type: 'next' });
      else if (['ArrowLeft', 'ArrowUp', 'PageUp'].includes(e.key)) command({ type: 'prev' });
      else if (['b', 'B', '.'].includes(e.key)) command({ type: 'blank', mode: 'black', toggle: true });
      else if (['w', 'W', ','].includes(e.key)) command({ type: 'blank', mode: 'white', toggle: true });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [live, showRecords, command]);

  const projectorUrl = `/projector/?token=${encodeURIComponent(token)}`;
  const start = () => {
    const d = view?.decks.find((x) => deckKey(x) === deck);
    if (d) command({ type: 'startSession', deck: { course: d.course, file: d.file } });
  };
  /** One of the session's records files: the workbook, or the sign-in sheet or results as PDF. */
  const download = (file: 'export.xlsx' | 'sign-in.pdf' | 'results.pdf') => {
    if (!s) return;
    const name = file === 'export.xlsx' ? `muster-${s.id.slice(0, 8)}.xlsx` : `muster-${s.id.slice(0, 8)}-${file}`;
    void bridge.saveFile(`/api/sessions/${s.id}/${file}?token=${encodeURIComponent(token)}`, name);
  };
  const exportSession = () => download('export.xlsx');
  const pdfButtons = (
    <>
      <button onClick={() => download('sign-in.pdf')}>Sign-in sheet PDF</button>
      <button onClick={() => download('results.pdf')}>Results PDF</button>
    </>
  );

  // An assessment that opens (here or before a restart) is what the instructor follows next.
  const assessmentId = s?.assessment?.id ?? null;
  useEffect(() => {
    if (assessmentId) setTab('assessment');
  }, [assessmentId]);

  const question = s?.slide?.question ?? null;
  const connected = s?.trainees.filter((t) => t.connected).length ?? 0;

  return (
    <div className="console">
      <header className="bar">
        <h1>Muster</h1>
        <span className={`status status-${status}`} role="status">
          {status === 'open' ? 'Connected' : status === 'connecting' ? 'Connecting…' : 'Disconnected — retrying'}
        </span>
        {lastError && (
          <span className="error" role="alert">
            {lastError}
          </span>
        )}
        <span className="spacer" />
        {view?.recordsServer && (
          <span className={`records-server-status records-server-${view.recordsServer.state}`} title={view.recordsServer.error ?? undefined}>
            {view.recordsServer.text}
          </span>
        )}
        {live && s && <PresenterTimer elapsedMs={s.elapsedMs} plannedMinutes={s.plannedMinutes} />}
        <button className="records-toggle" aria-pressed={showRecords} onClick={() => setShowRecords((x) => !x)}>
          Records
        </button>
        <button onClick={() => void bridge.openProjector(projectorUrl)}>Open projector</button>
      </header>

      {view?.alert && (
        <p className="alert-banner" role="alert">
          {view.alert.message}
        </p>
      )}

      {showRecords && <Records token={token} />}

      {!live && !showRecords && (
        <section className="start panel">
          <h2>Start a class</h2>
          <Library decks={view?.decks ?? []} token={token} selected={deck} onSelect={setDeck} />
          <button className="primary" onClick={start} disabled={!deck || status !== 'open'}>
            Start session
          </button>
          <PdfImport token={token} onImported={(r) => setDeck(deckKey(r))} />
          <RosterImport token={token} roster={view?.roster ?? null} live={false} />
          {s?.phase === 'ended' && (
            <p>
              The last session has ended. <button onClick={exportSession}>Export</button> {pdfButtons}
            </p>
          )}
        </section>
      )}

      {live && s && !showRecords && <ClaimsPanel claims={s.claims} command={command} />}

      {live && s && !showRecords && (
        <main className="grid">
          <section className="panel current" aria-label="Current slide">
            <div className="panel-head">
              <h2>
                Slide {s.slideIndex + 1} of {s.slideCount}
              </h2>
              {s.modules.length > 1 && (
                <label className="module-pick">
                  Module{' '}
                  <select
                    value={s.moduleFile}
                    disabled={s.phase === 'question' || !!s.assessment?.open}
                    onChange={(e) => {
                      const m = s.modules.find((x) => x.file === e.target.value);
                      if (m && confirm(`Move the class on to “${m.title}”? Everyone stays joined.`)) command({ type: 'switchModule', file: m.file });
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
              <span className="phase">{s.assessment?.open ? `${s.assessment.title} open` : phaseLabel(s.phase)}</span>
            </div>
            {s.scenario ? (
              <ScenarioPanel scenario={s.scenario} phase={s.phase} command={command} />
            ) : (
            <div className="slide-frame">
              {s.slide && <SlideView slide={s.slide} />}
              {question && (
                <div className="question-preview">
                  <p className="question-prompt">{question.prompt}</p>
                  {question.options && (
                    <ol>
                      {question.options.map((o) => (
                        <li key={o}>{o}</li>
                      ))}
                    </ol>
                  )}
                </div>
              )}
            </div>
            )}
            <div className="controls">
              <button onClick={() => command({ type: 'prev' })} disabled={s.slideIndex === 0 || s.phase === 'question'}>
                Previous slide
              </button>
              <button className="primary" onClick={() => command({ type: 'next' })} disabled={s.slideIndex >= s.slideCount - 1 || s.phase === 'question'}>
                Next slide
              </button>
              <button onClick={() => command({ type: 'openQuestion' })} disabled={!question || s.phase === 'question'}>
                Open question
              </button>
              <button onClick={() => command({ type: 'closeQuestion' })} disabled={s.phase !== 'question'}>
                Close question
              </button>
              <button onClick={() => command({ type: 'showResults' })} disabled={!s.runId || s.phase === 'results'}>
                Show results
              </button>
            </div>
          </section>

          <section className="panel notes" aria-label="Speaker notes">
            <h2>Notes</h2>
            {(s.scenario ? s.scenario.node.notesHtml : s.notesHtml) ? (
              <AuthorHtml className="notes-text" html={(s.scenario ? s.scenario.node.notesHtml : s.notesHtml) ?? ''} />
            ) : (
              <p className="notes-text">—</p>
            )}
            <h3>Next</h3>
            {s.next ? (
              <div className="slide-frame small" aria-label="Next slide">
                <SlideView slide={s.next} />
                {s.next.question && <p className="question-prompt">{s.next.question.prompt}</p>}
              </div>
            ) : (
              <p className="muted">End of deck</p>
            )}
          </section>

          <section className="panel screen" aria-label="Projector">
            <h2>Projector</h2>
            <div className="controls">
              <button aria-pressed={s.blank === 'black'} onClick={() => command({ type: 'blank', mode: 'black', toggle: true })}>
                Black screen (B)
              </button>
              <button aria-pressed={s.blank === 'white'} onClick={() => command({ type: 'blank', mode: 'white', toggle: true })}>
                White screen (W)
              </button>
              <label className="check-label">
                <input type="checkbox" checked={s.profanityFilter} onChange={(e) => command({ type: 'profanityFilter', on: e.target.checked })} /> Filter profanity
              </label>
              <button aria-pressed={s.hidePrompt} onClick={() => command({ type: 'hidePrompt', hide: !s.hidePrompt })}>
                {s.hidePrompt ? 'Show question text on phones' : 'Hide question text on phones'}
              </button>
              <label>
                Theme{' '}
                <select value={s.theme} onChange={(e) => command({ type: 'setTheme', theme: e.target.value as ProjectorTheme })}>
                  <option value="dark">Dark</option>
                  <option value="light">Light</option>
                  <option value="contrast">High contrast</option>
                </select>
              </label>
            </div>
          </section>

          <section className="panel outline" aria-label="Slides">
            <h2>Slides</h2>
            <SlideOverview outline={s.outline} current={s.slideIndex} disabled={s.phase === 'question'} onGo={(index) => command({ type: 'goto', index })} />
          </section>

          <section className="panel join" aria-label="Join">
            <h2>Join</h2>
            {s.join.qr && <img className="qr" src={s.join.qr} alt={`QR code for ${s.join.url}`} />}
            <p className="join-url">{s.join.url}</p>
            <p>
              Room code <strong className="room-code">{s.join.roomCode}</strong>
            </p>
            <label>
              Network{' '}
              <select value={s.join.host} onChange={(e) => command({ type: 'setJoinHost', host: e.target.value })}>
                {view?.hosts.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </label>
            <button onClick={() => command({ type: 'showJoin', show: !s.join.show })}>{s.join.show ? 'Hide join code' : 'Show join code'}</button>
          </section>

          <section className="panel results" aria-label="Live results">
            <div className="tabs" role="group" aria-label="Show">
              <button aria-pressed={tab === 'results'} onClick={() => setTab('results')}>
                Results
              </button>
              <button aria-pressed={tab === 'qa'} onClick={() => setTab('qa')}>
                Q&amp;A ({s.qa.filter((q) => q.status === 'pending').length} new)
              </button>
              <button aria-pressed={tab === 'assessment'} onClick={() => setTab('assessment')}>
                Tests{s.assessment?.open ? ` (${s.assessment.submitted}/${s.assessment.rows.length})` : ''}
              </button>
              <button aria-pressed={tab === 'game'} onClick={() => setTab('game')}>
                Game{s.game.mode === 'off' ? '' : s.game.show ? ' (on screen)' : ' (on)'}
              </button>
            </div>
            {tab === 'game' ? (
              <GamePanel game={s.game} command={command} />
            ) : tab === 'assessment' ? (
              <AssessmentPanel available={s.assessments} assessment={s.assessment} gain={s.gain} showGain={s.showGain} questionOpen={s.phase === 'question'} command={command} />
            ) : tab === 'qa' ? (
              <QaPanel items={s.qa} showing={s.showQa} command={command} />
            ) : s.results ? (
              <>
                <p>
                  {s.results.answered} of {s.trainees.length} answered
                  {s.remainingMs !== null && ` · ${Math.ceil(s.remainingMs / 1000)} s left`}
                </p>
                <Results results={s.results} />
              </>
            ) : (
              <p className="muted">Open a question to see answers arrive.</p>
            )}
          </section>

          <section className="panel trainees" aria-label="Trainees">
            <h2>
              Trainees <span className="muted">({connected} connected of {s.trainees.length})</span>
            </h2>
            <ul className="trainee-list">
              {s.trainees.map((t) => (
                <li key={t.id} className={t.connected ? 'on' : 'off'}>
                  <span className="dot" aria-hidden="true" />
                  <span className="name">{t.name}</span> <span className="muted">{t.officerId}</span>
                  {t.walkIn && <span className="tag walk-in">walk-in</span>}
                  {s.runId && <span className={`answered ${t.answered ? 'yes' : 'no'}`}>{t.answered ? 'answered' : 'waiting'}</span>}
                  <TraineeCorrection trainee={t} others={s.trainees.filter((o) => o.id !== t.id)} command={command} />
                </li>
              ))}
            </ul>
            <details className="roster-panel">
              <summary>Roster{view?.roster ? `: ${view.roster.name}` : ''}</summary>
              <RosterImport token={token} roster={view?.roster ?? null} live />
            </details>
          </section>

          <section className="panel session-actions" aria-label="Session">
            <button onClick={exportSession}>Export</button>
            {pdfButtons}
            <button onClick={() => confirm('End this session for everyone?') && command({ type: 'endSession' })}>End session</button>
            <SessionDetails details={s.details} command={command} />
          </section>
        </main>
      )}
    </div>
  );
}

function phaseLabel(p: string): string {
  return { lobby: 'Waiting for trainees', presenting: 'Presenting', question: 'Question open', closed: 'Question closed', results: 'Results shown', ended: 'Ended' }[p] ?? p;
}
