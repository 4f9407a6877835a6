import { useEffect, useState } from 'react';
import type { ConsoleView } from '../../shared/protocol';
import { useInstructorSocket } from '../ui/hooks/useInstructorSocket';
import { bridge } from '../platform';
import { Library, deckKey } from './Library';
import { PresenterTimer } from './PresenterTimer';
import { PdfImport } from './PdfImport';
import { Records } from './Records';
import { RosterImport } from './RosterImport';
import { ClaimsPanel } from './ClaimsPanel';
import { Presenter } from './Presenter';

/** The deck the library opens on: the one the last class presented, else its course's first, else the first. */
function firstChoice(view: ConsoleView): string {
  const last = view.lastDeck;
  const d =
    (last &&
      (view.decks.find((x) => x.course === last.course && x.file === last.file) ??
        view.decks.find((x) => x.course === last.course))) ||
    view.decks[0];
  return d ? deckKey(d) : '';
}

/** The instructor's presenter console: start a class, present, run polls, see who is here, export. */
export function Console() {
  const { view, status, command, lastError, token } = useInstructorSocket<ConsoleView>('console');
  const [deck, setDeck] = useState('');
  const [showRecords, setShowRecords] = useState(false);
  const s = view?.session ?? null;
  const live = s && s.phase !== 'ended';

  useEffect(() => {
    if (!deck && view?.decks.length) setDeck(firstChoice(view));
  }, [view, deck]);

  // Presentation clickers send arrows, PageUp/PageDown, and B or "." for a black screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (
        !live ||
        showRecords ||
        e.ctrlKey ||
        e.metaKey ||
        e.altKey ||
        (e.target as HTMLElement).closest('input, select, textarea, summary')
      )
        return;
      if ((e.key === ' ' || e.key === 'Enter') && (e.target as HTMLElement).closest('button'))
        return;
      if (['ArrowRight', 'ArrowDown', 'PageDown', ' '].includes(e.key)) command({ type: 'next' });
      else if (['ArrowLeft', 'ArrowUp', 'PageUp'].includes(e.key)) command({ type: 'prev' });
      else if (['b', 'B', '.'].includes(e.key))
        command({ type: 'blank', mode: 'black', toggle: true });
      else if (['w', 'W', ','].includes(e.key))
        command({ type: 'blank', mode: 'white', toggle: true });
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
    const name =
      file === 'export.xlsx'
        ? `muster-${s.id.slice(0, 8)}.xlsx`
        : `muster-${s.id.slice(0, 8)}-${file}`;
    void bridge.saveFile(`/api/sessions/${s.id}/${file}?token=${encodeURIComponent(token)}`, name);
  };
  const exportSession = () => download('export.xlsx');

  return (
    <div className="console">
      <header className="bar">
        <h1>Muster</h1>
        <span className={`status status-${status}`} role="status">
          {status === 'open'
            ? 'Connected'
            : status === 'connecting'
              ? 'Connecting…'
              : 'Disconnected — retrying'}
        </span>
        {live && s && (
          <>
            <span className="bar-room">
              Room <strong>{s.join.roomCode}</strong>
            </span>
            {s.blank !== 'none' && (
              <span
                className={`bar-blank blank-${s.blank}`}
                title={`The projector shows a ${s.blank} screen`}
              >
                {s.blank}
              </span>
            )}
            <PresenterTimer
              dayElapsedMs={s.dayElapsedMs}
              elapsedMs={s.elapsedMs}
              plannedMinutes={s.plannedMinutes}
            />
          </>
        )}
        <span className="spacer" />
        {view?.recordsServer && (
          <span
            className={`records-server-status records-server-${view.recordsServer.state}`}
            title={view.recordsServer.error ?? undefined}
          >
            {view.recordsServer.text}
          </span>
        )}
        {live && s && (
          <>
            <button onClick={exportSession}>Export</button>
            <button
              onClick={() =>
                confirm('End this session for everyone?') && command({ type: 'endSession' })
              }
            >
              End session
            </button>
          </>
        )}
        <button
          className="records-toggle"
          aria-pressed={showRecords}
          onClick={() => setShowRecords((x) => !x)}
        >
          Records
        </button>
        <button onClick={() => void bridge.openProjector(projectorUrl)}>Open projector</button>
      </header>

      {view?.alert && (
        <p className="alert-banner" role="alert">
          {view.alert.message}
        </p>
      )}
      {lastError && (
        <p className="error-banner" role="alert">
          {lastError}
        </p>
      )}

      {showRecords && <Records token={token} />}

      {!live && !showRecords && (
        <section className="start panel">
          <h2 className="panel-title">Start a class</h2>
          <Library decks={view?.decks ?? []} token={token} selected={deck} onSelect={setDeck} />
          <button className="primary" onClick={start} disabled={!deck || status !== 'open'}>
            Start session
          </button>
          <PdfImport token={token} onImported={(r) => setDeck(deckKey(r))} />
          <RosterImport token={token} roster={view?.roster ?? null} live={false} />
          {s?.phase === 'ended' && (
            <p>
              The last session has ended. <button onClick={exportSession}>Export</button>{' '}
              <button onClick={() => download('sign-in.pdf')}>Sign-in sheet PDF</button>{' '}
              <button onClick={() => download('results.pdf')}>Results PDF</button>
            </p>
          )}
        </section>
      )}

      {live && s && !showRecords && <ClaimsPanel claims={s.claims} command={command} />}

      {live && s && view && !showRecords && (
        <Presenter s={s} view={view} token={token} command={command} download={download} />
      )}
    </div>
  );
}
