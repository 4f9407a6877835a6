/** The answer inputs, one per question type: big buttons and fields for one thumb. */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { AnswerValue, PublicQuestion } from '../../shared/question';

export interface InputProps {
  q: PublicQuestion;
  open: boolean;
  mine: AnswerValue | undefined;
  labelledBy: string;
  onAnswer: (v: AnswerValue) => void;
}

export function AnswerInput({ q, open, mine, labelledBy, onAnswer }: InputProps) {
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
