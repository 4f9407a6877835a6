/** The answer inputs, one per question type: big buttons and fields for one thumb. */
import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { AnswerValue, PublicQuestion } from '../../shared/question';
import { OptionMark } from '../ui/OptionMark';

export interface InputProps {
  q: PublicQuestion;
  open: boolean;
  mine: AnswerValue | undefined;
  labelledBy: string;
  onAnswer: (v: AnswerValue) => void;
  /** A ranking: the order this phone first shows its items in (its own shuffle). */
  order?: string[];
  /** Once revealed: the right options, marked on the buttons (with words, not colour alone). */
  correct?: string[] | null;
}

export function AnswerInput({ q, open, mine, labelledBy, onAnswer, order, correct }: InputProps) {
  switch (q.type) {
    case 'single':
    case 'truefalse':
      return (
        <div className="options" role="group" aria-labelledby={labelledBy}>
          {(q.options ?? []).map((o, i) => {
            const value: AnswerValue = q.type === 'truefalse' ? o === 'True' : o;
            return (
              <button
                key={o}
                type="button"
                className={`big option ${mine === value ? 'chosen' : ''} ${judged(o, mine === value, correct)}`}
                aria-pressed={mine === value}
                disabled={!open}
                onClick={() => onAnswer(value)}
              >
                <OptionMark index={i} />
                <span className="option-text">{o}</span>
                <Check on={mine === value} label={o} correct={correct} />
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
                aria-label={
                  n === min && minLabel
                    ? `${n}, ${minLabel}`
                    : n === max && maxLabel
                      ? `${n}, ${maxLabel}`
                      : undefined
                }
                disabled={!open}
                onClick={() => onAnswer(n)}
              >
                {n}
                <Check on={mine === n} label={String(n)} />
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
      return (
        <MultiInput
          q={q}
          open={open}
          mine={mine}
          labelledBy={labelledBy}
          onAnswer={onAnswer}
          correct={correct}
        />
      );
    case 'ranking':
      return (
        <RankingInput
          q={q}
          open={open}
          mine={mine}
          labelledBy={labelledBy}
          onAnswer={onAnswer}
          order={order}
        />
      );
    case 'numeric':
    case 'text':
      return (
        <TextInput q={q} open={open} mine={mine} labelledBy={labelledBy} onAnswer={onAnswer} />
      );
  }
}

/** How an option reads once the answer is revealed: right, or chosen and wrong. */
function judged(label: string, chosen: boolean, correct: string[] | null | undefined): string {
  if (!correct) return '';
  return correct.includes(label) ? 'right' : chosen ? 'wrong' : '';
}

/**
 * The tick on a chosen option; once revealed, words instead: "Right answer", "Your answer". Hidden
 * from screen readers, which hear aria-pressed, and the reveal's own "Correct" or "Not quite".
 */
function Check({ on, label, correct }: { on: boolean; label: string; correct?: string[] | null }) {
  if (correct) {
    const right = correct.includes(label);
    if (!right && !on) return null;
    return (
      <span className={`check tag ${right ? 'right' : 'wrong'}`} aria-hidden="true">
        {right ? (on ? '✓ Your answer: right' : '✓ Right answer') : '✗ Your answer'}
      </span>
    );
  }
  return on ? (
    <span className="check" aria-hidden="true">
      ✓
    </span>
  ) : null;
}

function MultiInput({ q, open, mine, labelledBy, onAnswer, correct }: InputProps) {
  const [picked, setPicked] = useState<string[]>(Array.isArray(mine) ? mine : []);
  const toggle = (o: string) =>
    setPicked((p) => (p.includes(o) ? p.filter((x) => x !== o) : [...p, o]));
  return (
    <div className="options" role="group" aria-labelledby={labelledBy}>
      {(q.options ?? []).map((o, i) => (
        <button
          key={o}
          type="button"
          className={`big option ${picked.includes(o) ? 'chosen' : ''} ${judged(o, picked.includes(o), correct)}`}
          aria-pressed={picked.includes(o)}
          disabled={!open}
          onClick={() => toggle(o)}
        >
          <OptionMark index={i} />
          <span className="option-text">{o}</span>
          <Check on={picked.includes(o)} label={o} correct={correct} />
        </button>
      ))}
      <button
        type="button"
        className="big primary"
        disabled={!open || picked.length === 0}
        onClick={() => onAnswer(picked)}
      >
        Send answer
      </button>
    </div>
  );
}

function RankingInput({ q, open, mine, labelledBy, onAnswer, order: first }: InputProps) {
  const initial = useMemo(
    () => (Array.isArray(mine) ? mine : [...(first ?? q.options ?? [])]),
    [mine, first, q.options],
  );
  const [order, setOrder] = useState<string[]>(initial);
  const [moved, setMoved] = useState('');
  // Reordering moves DOM nodes, which can drop the keyboard focus: put it back on the pressed arrow,
  // in a layout effect so the next key press already finds it there (Preact, which renders the
  // phone's page, runs plain effects a frame later).
  const arrows = useRef(new Map<string, HTMLButtonElement>());
  const [refocus, setRefocus] = useState<string | null>(null);
  useLayoutEffect(() => {
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
            <button
              type="button"
              ref={arrowRef(`${o}:-1`)}
              aria-label={`Move ${o} up`}
              aria-disabled={!open || i === 0}
              onClick={() => move(i, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              ref={arrowRef(`${o}:1`)}
              aria-label={`Move ${o} down`}
              aria-disabled={!open || i === order.length - 1}
              onClick={() => move(i, 1)}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      <p className="visually-hidden" role="status">
        {moved}
      </p>
      <button
        type="button"
        className="big primary"
        disabled={!open}
        onClick={() => onAnswer(order)}
      >
        Send answer
      </button>
    </div>
  );
}

/** Why a typed number is not taken, or null when it is one ("14,5" is a decimal comma). */
export function numberProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  if (!/^[-+−]?(\d+([.,]\d*)?|[.,]\d+)$/.test(t))
    return 'Type a number, using digits only (for example 15 or 14.5).';
  return null;
}

/** The number a typed answer stands for (a decimal comma reads as a point). */
export const parseNumber = (text: string) =>
  Number(text.trim().replace('−', '-').replace(',', '.'));

function TextInput({ q, open, mine, onAnswer }: InputProps) {
  const [text, setText] = useState(mine === undefined ? '' : String(mine));
  const numeric = q.type === 'numeric';
  const hintId = useId();
  const problem = numeric ? numberProblem(text) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (numeric) {
      if (text.trim() !== '' && !problem && Number.isFinite(parseNumber(text)))
        onAnswer(parseNumber(text));
    } else if (text.trim()) onAnswer(text.trim());
  };
  return (
    <form className="text-answer" onSubmit={submit} noValidate>
      <label>
        Your answer{q.unit ? ` (${q.unit})` : ''}
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          inputMode={numeric ? 'decimal' : 'text'}
          maxLength={280}
          disabled={!open}
          aria-invalid={problem ? true : undefined}
          aria-describedby={numeric ? hintId : undefined}
        />
      </label>
      {numeric && (
        <p
          id={hintId}
          className={problem ? 't-error field-problem' : 'hint'}
          role={problem ? 'alert' : undefined}
        >
          {problem ?? 'A number, for example 15 or 14.5.'}
        </p>
      )}
      <button className="big primary" type="submit" disabled={!open || !text.trim() || !!problem}>
        Send answer
      </button>
    </form>
  );
}
