interface Props {
  html: string;
  className?: string;
}

/**
 * HTML from the course author's Markdown (slides, scenario situations and debriefs), rendered on the
 * server by markdown-it with raw HTML turned off (main/content/load.ts). The one place that injects
 * HTML: nothing a trainee typed ever reaches it (docs/ARCHITECTURE.md, rule 6).
 */
export function AuthorHtml({ html, className }: Props) {
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
