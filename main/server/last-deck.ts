/**
 * The deck the latest session presented: the console's library opens on its course, so the next
 * class day starts where the last one was, not on the first deck of the list. Read from the
 * records once, and again after a session starts or ends.
 */
import type { Records } from '../records/db';
import type { ConsoleView } from '../../shared/protocol';

export class LastDeck {
  private value: ConsoleView['lastDeck'] | undefined;

  constructor(private readonly records: Records) {}

  get(): ConsoleView['lastDeck'] {
    if (this.value === undefined) {
      const row = this.records.sessions()[0];
      this.value = row ? { course: row.course, file: row.deck_file } : null;
    }
    return this.value;
  }

  forget(): void {
    this.value = undefined;
  }
}
