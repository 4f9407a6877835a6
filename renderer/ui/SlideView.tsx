import type { SlideView as Slide } from '../../shared/protocol';
import { AuthorHtml } from './AuthorHtml';

interface Props {
  slide: Slide;
  className?: string;
}

/** A slide's body: the course author's content, never anything a trainee typed. */
export function SlideView({ slide, className = '' }: Props) {
  return <AuthorHtml className={`slide-body ${className}`} html={slide.html} />;
}
