/**
 * The library's list of decks as the console shows it, worked out again only when the content
 * folder's decks change (every view would otherwise rebuild it).
 */
import type { Deck } from '../../shared/course';
import type { DeckSummary } from '../../shared/protocol';

export class DeckSummaries {
  private cache: { decks: Deck[]; summaries: DeckSummary[] } | null = null;

  constructor(private readonly decks: () => Deck[]) {}

  get(): DeckSummary[] {
    const decks = this.decks();
    if (this.cache?.decks !== decks)
      this.cache = {
        decks,
        summaries: decks.map((d) => ({
          course: d.course,
          courseTitle: d.courseTitle,
          file: d.file,
          title: d.title,
          slides: d.slides.length,
        })),
      };
    return this.cache.summaries;
  }
}
