import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { TraineeConnection } from './connection';
import { QaSection } from './QaSection';
import type { ConnState } from './connection';
import type { PublicQuestion } from '../../shared/question';
import type { AnswerValue } from '../../shared/question';

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

/** The screen shown last (module-wide: one page, one screen at a time). */
let lastScreen = '';

/**
 * A screen's main heading: it takes the focus when the screen changes (joined, a new question), so a
 * screen reader reads the new screen and the next Tab starts from it.
 */
function ScreenHeading({ screen, className, children }: { screen: string; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Not on the page's first screen: a freshly loaded page starts at the top anyway.
    if (lastScreen && lastScreen !== screen) ref.current?.focus();
    lastScreen = screen;
  }, [screen]);
  return (
    <h1 ref={ref} tabIndex={-1} className={className}>
      {children}
    </h1>
  );
}

/** The trainee's phone: join, wait, answer with big buttons, see "Answer received". */
export function Trainee() {
  const s = useConnection();
  const status = s.online ? 'Connected' : s.needsJoin ? (s.joining ? 'Connecting…' : '') : 'Reconnecting…';
  return (
    <div className="trainee">
      <header className="t-head">
        <span className="brand">Muster</span>
        <span className={`net ${s.online ? 'on' : 'off'}`} role="status">
          {status}
        </span>
      </header>
      <main>{s.needsJoin ? <JoinForm error={s.error} joining={s.joining} /> : <Classroom s={s} />}</main>
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
  const [hidePrompt, setHidePrompt] = useHidePrompt();
  const promptId = useId();
  const pending = q ? s.pending.find((p) => p.runId === q.runId) : undefined;
  const mine = pending?.value ?? (q && s.confirmed?.runId === q.runId ? s.confirmed.value : undefined);
  return (
    <section className="room">
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
      ) : !v || !q ? (
        <>
          <div className="waiting">
            <ScreenHeading screen="waiting">You are in</ScreenHeading>
            <p>Watch the screen. Questions will appear here.</p>
          </div>
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

interface InputProps {
  q: PublicQuestion;
  open: boolean;
  mine: AnswerValue | undefined;
  labelledBy: string;
  onAnswer: (v: AnswerValue) => void;
}

function AnswerInput({ q, open, mine, labelledBy, onAnswer }: InputProps) {
  switch (q.type) {
    case 'single':
    case 'truefalse':
      return (
        <div className="options" role="group" aria-labelledby={labelledBy}>
          {(q.options ?? []).map((o) => {
            const value: AnswerValue = q.type === 'truefalse' ? o === 'True' : o;
            return (
              <button key={o} type="button" className={`big option ${mine === value ? 'chosen' : ''}`} aria-pressed={mine === value} disabled={!open} onClick={() => onAnswer(value)}>
                {o}
                <Check on={mine === value} />
              </button>
            );
          })}
        </div>
      );
    case 'rating': {
      const { min, max, minLabel, maxLabel } = q.scale!;
      return (
        <div role="group" aria-labelledby={labelledBy}>
          <div className="options scale">
            {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => (
              <button
                key={n}
                type="button"
                className={`big option ${mine === n ? 'chosen' : ''}`}
                aria-pressed={mine === n}
                aria-label={n === min && minLabel ? `${n}, ${minLabel}` : n === max && maxLabel ? `${n}, ${maxLabel}` : undefined}
                disabled={!open}
                onClick={() => onAnswer(n)}
              >
                {n}
                <Check on={mine === n} />
              </button>
            ))}
          </div>
          <p className="scale-labels" aria-hidden="true">
            <span>{minLabel}</span>
            <span>{maxLabel}</span>
          </p>
        </div>
      );
    }
    case 'multi':
      return <MultiInput q={q} open={open} mine={mine} labelledBy={labelledBy} onAnswer={onAnswer} />;
    case 'ranking':
      return <RankingInput q={q} open={open} mine={mine} labelledBy={labelledBy} onAnswer={onAnswer} />;
    case 'numeric':
    case 'text':
      return <TextInput q={q} open={open} mine={mine} labelledBy={labelledBy} onAnswer={onAnswer} />;
  }
}

/** The tick on a chosen option; hidden from screen readers, which announce aria-pressed instead. */
function Check({ on }: { on: boolean }) {
  return on ? (
    <span className="check" aria-hidden="true">
      ✓
    </span>
  ) : null;
}

function MultiInput({ q, open, mine, labelledBy, onAnswer }: InputProps) {
  const [picked, setPicked] = useState<string[]>(Array.isArray(mine) ? mine : []);
  const toggle = (o: string) => setPicked((p) => (p.includes(o) ? p.filter((x) => x !== o) : [...p, o]));
  return (
    <div className="options" role="group" aria-labelledby={labelledBy}>
      {(q.options ?? []).map((o) => (
        <button key={o} type="button" className={`big option ${picked.includes(o) ? 'chosen' : ''}`} aria-pressed={picked.includes(o)} disabled={!open} onClick={() => toggle(o)}>
          {o}
          <Check on={picked.includes(o)} />
        </button>
      ))}
      <button type="button" className="big primary" disabled={!open || picked.length === 0} onClick={() => onAnswer(picked)}>
        Send answer
      </button>
    </div>
  );
}

function RankingInput({ q, open, mine, labelledBy, onAnswer }: InputProps) {
  const initial = useMemo(() => (Array.isArray(mine) ? mine : [...(q.options ?? [])]), [mine, q.options]);
  const [order, setOrder] = useState<string[]>(initial);
  const [moved, setMoved] = useState('');
  // Reordering moves DOM nodes, which can drop the keyboard focus: put it back on the pressed arrow.
  const arrows = useRef(new Map<string, HTMLButtonElement>());
  const [refocus, setRefocus] = useState<string | null>(null);
  useEffect(() => {
    if (refocus) arrows.current.get(refocus)?.focus();
  }, [order, refocus]);
  const move = (i: number, d: number) => {
    const j = i + d;
    if (!open || j < 0 || j >= order.length) return;
    const n = [...order];
    [n[i], n[j]] = [n[j], n[i]];
    setOrder(n);
    setMoved(`${n[j]}: position ${j + 1} of ${n.length}`);
    setRefocus(`${n[j]}:${d}`);
  };
  const arrowRef = (key: string) => (el: HTMLButtonElement | null) => {
    if (el) arrows.current.set(key, el);
    else arrows.current.delete(key);
  };
  // The arrows at the ends stay focusable (aria-disabled, not disabled), so the keyboard focus is
  // never lost when an item reaches the top or the bottom.
  return (
    <div className="ranking" role="group" aria-labelledby={labelledBy}>
      {/* role="list": Safari drops list semantics from a list styled without markers. */}
      <ol role="list">
        {order.map((o, i) => (
          <li key={o}>
            <span className="rank-label">
              <span className="rank-pos" aria-hidden="true">
                {i + 1}.
              </span>
              {o}
            </span>
            <button type="button" ref={arrowRef(`${o}:-1`)} aria-label={`Move ${o} up`} aria-disabled={!open || i === 0} onClick={() => move(i, -1)}>
              ↑
            </button>
            <button type="button" ref={arrowRef(`${o}:1`)} aria-label={`Move ${o} down`} aria-disabled={!open || i === order.length - 1} onClick={() => move(i, 1)}>
              ↓
            </button>
          </li>
        ))}
      </ol>
      <p className="visually-hidden" role="status">
        {moved}
      </p>
      <button type="button" className="big primary" disabled={!open} onClick={() => onAnswer(order)}>
        Send answer
      </button>
    </div>
  );
}

function TextInput({ q, open, mine, onAnswer }: InputProps) {
  const [text, setText] = useState(mine === undefined ? '' : String(mine));
  const numeric = q.type === 'numeric';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (numeric) {
      const n = Number(text.replace(',', '.'));
      if (text.trim() !== '' && Number.isFinite(n)) onAnswer(n);
    } else if (text.trim()) onAnswer(text.trim());
  };
  return (
    <form className="text-answer" onSubmit={submit}>
      <label>
        Your answer{q.unit ? ` (${q.unit})` : ''}
        <input value={text} onChange={(e) => setText(e.target.value)} inputMode={numeric ? 'decimal' : 'text'} maxLength={280} disabled={!open} />
      </label>
      <button className="big primary" type="submit" disabled={!open || !text.trim()}>
        Send answer
      </button>
    </form>
  );
}
