/**
 * A console's link to the academy records server: the stored credential, and the pusher while
 * there is one. The app (main/app.ts) makes one; the console's API (server/records-server-api.ts)
 * enrols or disconnects it; the console view shows `status()`.
 */
import type { Records } from '../db';
import { replicationState } from '../outbox';
import { PushRunner } from './push-runner';
import type { RecordsCredential } from './credential';
import { RecordsServerEnrolment } from '../../../shared/records-server';
import type { RecordsServerSetup, RecordsServerStatus } from '../../../shared/records-server';

export interface RecordsServerLinkOptions {
  records: Records;
  credential: RecordsCredential;
  /** A question, vote or self-paced test is open. */
  isBusy: () => boolean;
  /** The status changed: the console view is sent again. */
  onChange: () => void;
}

export class RecordsServerLink {
  private runner: PushRunner | null = null;

  constructor(private readonly o: RecordsServerLinkOptions) {}

  /** Starts pushing when a credential is stored (an unusable one is reported, not thrown). */
  start(): void {
    const url = this.o.credential.get();
    if (!url || !RecordsServerEnrolment.safeParse({ url }).success) return;
    this.runner = new PushRunner({
      records: this.o.records,
      url,
      isBusy: this.o.isBusy,
      onChange: this.o.onChange,
    });
    this.runner.start();
  }

  /** Stores a new enrolment (or forgets it, with undefined) and starts over with it. */
  async configure(url: string | undefined): Promise<void> {
    await this.runner?.stop();
    this.runner = null;
    this.o.credential.set(url);
    this.start();
    this.o.onChange();
  }

  status(): RecordsServerStatus | undefined {
    return this.runner?.status();
  }

  /** New records were committed: the pusher may look now. */
  poke(): void {
    this.runner?.poke();
  }

  setup(): RecordsServerSetup {
    const url = this.o.credential.get();
    let host: string | null = null;
    let login: string | null = null;
    try {
      if (url) ({ hostname: host, username: login } = new URL(url));
    } catch {
      // An unreadable credential counts as none.
    }
    const status = this.status() ?? null;
    return {
      enrolled: !!url,
      host,
      login: login && decodeURIComponent(login),
      storage: this.o.credential.storage,
      status,
      waiting: replicationState(this.o.records.db).waiting,
    };
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = null;
  }
}
