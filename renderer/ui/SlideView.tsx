import type { SlideView as Slide } from '../../shared/protocol';

interface Props {
  slide: Slide;
  className?: string;
}

/**
 * A slide's body. The HTML comes from the course author's Markdown, rendered on the server by
 * markdown-it with raw HTML turned off (main/content/load.ts); nothing a trainee typed is ever in it.
 */
export function SlideView({ slide, className = '' }: Props) {
  return <div className={`slide-body ${className}`} dangerouslySetInnerHTML={{ __html: slide.html }} />;
}
