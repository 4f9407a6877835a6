import { useEffect, useMemo, useState } from 'react';
import type { DeckPreview, DeckSummary } from '../../shared/protocol';
import { SlideView } from '../ui/SlideView';

interface Props {
  decks: DeckSummary[];
  token: string;
  selected: string;
  onSelect: (key: string) => void;
}

export const deckKey = (d: { course: string; file: string }) => `${d.course}/${d.file}`;

/** The course library: every deck of every course (shipped and the user's own), with a preview. */
export function Library({ decks, token, selected, onSelect }: Props) {
  const [preview, setPreview] = useState<DeckPreview | null>(null);
  const [shown, setShown] = useState(0);
  const byCourse = useMemo(() => {
    const m = new Map<string, DeckSummary[]>();
    for (const d of decks) m.set(d.courseTitle, [...(m.get(d.courseTitle) ?? []), d]);
    return [...m.entries()];
  }, [decks]);

  useEffect(() => {
    const d = decks.find((x) => deckKey(x) === selected);
    if (!d) return;
    let stale = false;
    void fetch(
      `/api/decks/${encodeURIComponent(d.course)}/${encodeURIComponent(d.file)}?token=${encodeURIComponent(token)}`,
    )
      .then((r) => (r.ok ? (r.json() as Promise<DeckPreview>) : null))
      .then((p) => {
        if (stale) return;
        setPreview(p);
        setShown(0);
      });
    return () => {
      stale = true;
    };
  }, [selected, decks, token]);

  const slide = preview?.slides[shown];
  return (
    <div className="library">
      <label>
        Deck{' '}
        <select value={selected} onChange={(e) => onSelect(e.target.value)}>
          {byCourse.map(([course, list]) => (
            <optgroup key={course} label={course}>
              {list.map((d) => (
                <option key={deckKey(d)} value={deckKey(d)}>
                  {d.courseTitle} — {d.title} ({d.slides} slides)
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {preview && (
        <section className="preview" aria-label="Preview">
          <div className="preview-list">
            <p className="muted">
              {preview.slides.length} slides
              {preview.minutes ? ` · ${preview.minutes} planned minutes` : ''}
            </p>
            <ol>
              {preview.slides.map((s) => (
                <li key={s.index}>
                  <button
                    className={s.index === shown ? 'on' : ''}
                    onClick={() => setShown(s.index)}
                  >
                    {s.title}
                  </button>
                </li>
              ))}
            </ol>
          </div>
          {slide && (
            <div className="slide-frame">
              <SlideView slide={slide} />
              {slide.question && <p className="question-prompt">{slide.question.prompt}</p>}
            </div>
          )}
        </section>
      )}
    </div>
  );
}
