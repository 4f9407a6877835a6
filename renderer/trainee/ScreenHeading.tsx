import { useLayoutEffect, useRef } from 'react';
import type { ReactNode } from 'react';

/** The screen shown last (module-wide: one page, one screen at a time). */
let lastScreen = '';

/**
 * A screen's main heading: it takes the focus when the screen changes (joined, a new question), so a
 * screen reader reads the new screen and the next Tab starts from it; and a new screen starts at
 * the top of the page (the next question is not seen scrolled half-way down). A layout effect, so
 * the new screen is never painted at the old one's scroll position (Preact, which renders the
 * phone's page, runs plain effects a frame later).
 */
export function ScreenHeading({
  screen,
  className,
  children,
}: {
  screen: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    // Not on the page's first screen: a freshly loaded page starts at the top anyway.
    if (lastScreen && lastScreen !== screen) {
      ref.current?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    lastScreen = screen;
  }, [screen]);
  return (
    <h1 ref={ref} tabIndex={-1} className={className}>
      {children}
    </h1>
  );
}
