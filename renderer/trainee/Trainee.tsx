import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { TraineeConnection } from './connection';
import type { ConnState } from './connection';
import type { PublicQuestion } from '../../shared/question';
import type { AnswerValue } from '../../shared/question';

const connection = new TraineeConnection(`ws://${location.host}/ws/trainee`);

function useConnection(): ConnState {
  const [state, setState] = useState(connection.state);
  useEffect(() => connection.subscribe(setState), []);
  return state;
}

/** The trainee's phone: join, wait, answer with big buttons, see "Answer received". */
export function Trainee() {
  const s = useConnection();
  return (
    <main className="trainee">
      <header className="t-head">
        <span className="brand">Muster</span>
        <span className={`net ${s.online ? 'on' : 'off'}`} role="status">
          {s.online ? 'Connected' : s.needsJoin ? '' : 'Reconnecting…'}
        </span>
      </header>
      {s.needsJoin ? <JoinForm error={s.error} /> : <Classroom s={s} />}
    </main>
  );
}

function JoinForm({ error }: { error: string | null }) {
  const room = new URLSearchParams(location.search).get('room') ?? '';
  const [sending, setSending] = useState(false);
  useEffect(() => setSending(false), [error]);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setSending(true);
    connection.join({
      name: String(f.get('name') ?? ''),
      officerId: String(f.get('officerId') ?? ''),
      agency: String(f.get('agency') ?? ''),
      roomCode: String(f.get('roomCode') ?? '').trim(),
    });
  };
  return (
    <form className="join-form" onSubmit={submit}>
      <h1>Join the class</h1>
      <label>
        Name
        <input name="name" autoComplete="name" required maxLength={80} />
      </label>
      <label>
        Officer ID
        <input name="officerId" required maxLength={32} autoCapitalize="characters" />
      </label>
      <label>
        Agency
        <input name="agency" autoComplete="organization" required maxLength={120} />
      </label>
      <label>
        Room code
        <input name="roomCode" defaultValue={room} required inputMode="numeric" pattern="[0-9]{6}" maxLength={6} />
      </label>
      {error && (
        <p className="t-error" role="alert">
          {error}
        </p>
      )}
      <button className="big primary" type="submit" disabled={sending && !error}>
        Join
      </button>
    </form>
  );
}

function Classroom({ s }: { s: ConnState }) {
  const v = s.view;
  const q = v?.question ?? null;
  const pending = q ? s.pending.find((p) => p.runId === q.runId) : undefined;
  const mine = pending?.value ?? (q && s.confirmed?.runId === q.runId ? s.confirmed.value : undefined);
  return (
    <section className="room">
      {s.joined && <p className="who">{s.joined.name}</p>}
      {!v || !q ? (
        <div className="waiting">
          <h1>{v?.phase === 'ended' ? 'The session has ended' : 'You are in'}</h1>
          <p>{v?.phase === 'ended' ? 'Thank you. Your attendance and answers are saved.' : 'Watch the screen. Questions will appear here.'}</p>
        </div>
      ) : (
        <div className="question">
          <h1 className="prompt">{q.q.prompt}</h1>
          <AnswerInput key={q.runId} q={q.q} open={q.open} mine={mine} onAnswer={(value) => connection.answer(q.runId, value)} />
          <Receipt open={q.open} pending={!!pending} online={s.online} confirmed={!pending && mine !== undefined} />
          {v.reveal && (
            <div className="reveal">
              {v.reveal.correct && (
                <p>
                  Answer: <strong>{v.reveal.correct.join(', ')}</strong>
                </p>
              )}
              {v.reveal.explanation && <p>{v.reveal.explanation}</p>}
            </div>
          )}
        </div>
      )}
      {s.error && !s.needsJoin && (
        <p className="t-error" role="alert">
          {s.error}
        </p>
      )}
    </section>
  );
}

function Receipt({ open, pending, online, confirmed }: { open: boolean; pending: boolean; online: boolean; confirmed: boolean }) {
  let text = '';
  if (pending) text = online ? 'Sending…' : 'Saved on this phone — it will be sent when you reconnect';
  else if (confirmed) text = 'Answer received';
  else if (!open) text = 'This question is closed';
  return (
    <p className={`receipt ${confirmed && !pending ? 'ok' : ''}`} role="status" aria-live="polite">
      {text}
    </p>
  );
}

interface InputProps {
  q: PublicQuestion;
  open: boolean;
  mine: AnswerValue | undefined;
  onAnswer: (v: AnswerValue) => void;
}

function AnswerInput({ q, open, mine, onAnswer }: InputProps) {
  switch (q.type) {
    case 'single':
    case 'truefalse':
      return (
        <div className="options">
          {(q.options ?? []).map((o) => {
            const value: AnswerValue = q.type === 'truefalse' ? o === 'True' : o;
            return (
              <button key={o} className={`big option ${mine === value ? 'chosen' : ''}`} aria-pressed={mine === value} disabled={!open} onClick={() => onAnswer(value)}>
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
        <div>
          <div className="options scale">
            {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => (
              <button key={n} className={`big option ${mine === n ? 'chosen' : ''}`} aria-pressed={mine === n} disabled={!open} onClick={() => onAnswer(n)}>
                {n}
                <Check on={mine === n} />
              </button>
            ))}
          </div>
          <p className="scale-labels">
            <span>{minLabel}</span>
            <span>{maxLabel}</span>
          </p>
        </div>
      );
    }
    case 'multi':
      return <MultiInput q={q} open={open} mine={mine} onAnswer={onAnswer} />;
    case 'ranking':
      return <RankingInput q={q} open={open} mine={mine} onAnswer={onAnswer} />;
    case 'numeric':
    case 'text':
      return <TextInput q={q} open={open} mine={mine} onAnswer={onAnswer} />;
  }
}

/** The tick on a chosen option; hidden from screen readers, which announce aria-pressed instead. */
function Check({ on }: { on: boolean }) {
  return on ? (
    <span className="check" aria-hidden="true">
      {' '}
      ✓
    </span>
  ) : null;
}

function MultiInput({ q, open, mine, onAnswer }: InputProps) {
  const [picked, setPicked] = useState<string[]>(Array.isArray(mine) ? mine : []);
  const toggle = (o: string) => setPicked((p) => (p.includes(o) ? p.filter((x) => x !== o) : [...p, o]));
  return (
    <div className="options">
      {(q.options ?? []).map((o) => (
        <button key={o} className={`big option ${picked.includes(o) ? 'chosen' : ''}`} aria-pressed={picked.includes(o)} disabled={!open} onClick={() => toggle(o)}>
          {o}
          <Check on={picked.includes(o)} />
        </button>
      ))}
      <button className="big primary" disabled={!open || picked.length === 0} onClick={() => onAnswer(picked)}>
        Send answer
      </button>
    </div>
  );
}

function RankingInput({ q, open, mine, onAnswer }: InputProps) {
  const initial = useMemo(() => (Array.isArray(mine) ? mine : [...(q.options ?? [])]), [mine, q.options]);
  const [order, setOrder] = useState<string[]>(initial);
  const move = (i: number, d: number) =>
    setOrder((o) => {
      const n = [...o];
      [n[i], n[i + d]] = [n[i + d], n[i]];
      return n;
    });
  return (
    <div className="ranking">
      <ol>
        {order.map((o, i) => (
          <li key={o}>
            <span>{o}</span>
            <button aria-label={`Move ${o} up`} disabled={!open || i === 0} onClick={() => move(i, -1)}>
              ↑
            </button>
            <button aria-label={`Move ${o} down`} disabled={!open || i === order.length - 1} onClick={() => move(i, 1)}>
              ↓
            </button>
          </li>
        ))}
      </ol>
      <button className="big primary" disabled={!open} onClick={() => onAnswer(order)}>
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
