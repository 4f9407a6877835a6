import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

interface Props {
  /** Changes when the content does: the fit starts again from full size. */
  fitKey: string;
  /** The smallest scale allowed (the projector's body text stays at 28 px or more). */
  min?: number;
  /** Seconds each page stays up when even the smallest scale does not fit. */
  pageSeconds?: number;
  className?: string;
  children: ReactNode;
}

/**
 * Content that must fit its box on the projector, never cut off: it is scaled down (CSS zoom, so
 * it lays out again at the smaller size, lines wrapping anew) step by step until it fits, never
 * below `min`. If it still does not fit, it is set in pages the width of the box, shown in turn
 * with "1 / 2" in the corner.
 */
export function Fit({ fitKey, min = 0.7, pageSeconds = 12, className = '', children }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(1);
  const [pages, setPages] = useState(1);
  const [page, setPage] = useState(0);
  const [size, setSize] = useState({ w: 0, h: 0 });

  // A new content, or a new box: start again from full size.
  useLayoutEffect(() => {
    setScale(1);
    setPages(1);
    setPage(0);
  }, [fitKey, size.w, size.h]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const c = inner.current;
    if (!c || !size.h) return;
    // Measured on the content itself, which is as tall as the box at its own scale: both numbers
    // are in the same pixels, whatever zoom or transform lies above.
    if (pages > 1) {
      const n = Math.max(2, Math.ceil((c.scrollWidth - 1) / Math.max(1, c.clientWidth)));
      if (n !== pages) setPages(n);
      return;
    }
    const over = c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1;
    if (!over) return;
    if (scale > min + 0.001) setScale(Math.max(min, scale * 0.92));
    else setPages(2);
    // Measured again whenever what it holds may have changed (children) or its size or scale did.
  }, [children, size.h, size.w, pages, scale, min]);

  useEffect(() => {
    if (pages < 2) return;
    const t = window.setInterval(() => setPage((p) => (p + 1) % pages), pageSeconds * 1000);
    return () => window.clearInterval(t);
  }, [pages, pageSeconds]);

  const paged = pages > 1;
  const w = size.w / scale;
  return (
    <div
      ref={box}
      className={`fit ${className}`}
      data-fit={scale.toFixed(2)}
      data-pages={paged ? pages : undefined}
    >
      <div
        ref={inner}
        className="fit-inner"
        style={{
          zoom: scale,
          height: size.h ? size.h / scale : undefined,
          ...(paged
            ? {
                columnWidth: w,
                columnGap: 0,
                columnFill: 'auto',
                transform: `translateX(${-page * w}px)`,
              }
            : {}),
        }}
      >
        {children}
      </div>
      {paged && (
        <span className="fit-page" aria-hidden="true">
          {page + 1} / {pages}
        </span>
      )}
    </div>
  );
}
