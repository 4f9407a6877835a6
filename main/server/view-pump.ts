/**
 * When the console and projector views go out. The first change after a quiet moment goes out at
 * once (in the same event-loop turn's tail, after the commit that caused it); a burst — a class
 * answering together — is coalesced: a view goes out when the burst pauses for a frame
 * ({@link FRAME_MS}), and at least every {@link VIEW_INTERVAL_MS} while it lasts. So the last
 * answer of a burst reaches the console within a frame of its ack, and 500 answers do not make 500
 * views. When the commit queue has stored and applied everything it was given ({@link
 * ViewPump.drained}), the burst is over as far as the server knows: its view goes as soon as a
 * frame has passed since the last one, without waiting for a frame of quiet — at most once an
 * interval, as a trickle (a room joining) drains between its batches.
 *
 * The console's trainee list goes as changes beside each console view (console-trainees.ts).
 */
import type { WebSocket } from 'ws';
import type { ConsoleViewWire } from '../../shared/console-delta';
import type { ConsoleView, ProjectorView } from '../../shared/protocol';
import { ConsoleTraineeRows } from './console-trainees';
import { broadcast, send } from './fanout';

/** During a burst, views go out at least this often. */
export const VIEW_INTERVAL_MS = 100;
/** A burst that pauses this long has its view sent. */
export const FRAME_MS = 16;

export interface ViewSource {
  consoles: Set<WebSocket>;
  projectors: Set<WebSocket>;
  consoleView(): ConsoleView;
  projectorView(): ProjectorView;
  now(): number;
  /**
   * Takes in a write that has already ended off the main thread (applied and acknowledged), so the
   * view about to be built includes it, and hands a batch that is due to the writer thread, so it
   * is written while the view is built; never waits for the thread (the commit queue's `poll`).
   */
  poll?(): void;
}

/** The console view as sent: without the trainee list, which goes as changes. */
function wire(v: ConsoleView): ConsoleViewWire {
  if (!v.session) return v;
  const { trainees: _rows, ...session } = v.session;
  return { ...v, session };
}

export class ViewPump {
  private timer: NodeJS.Timeout | null = null;
  /** When the armed timer fires (src.now() ms). */
  private due = Infinity;
  private immediate: NodeJS.Immediate | null = null;
  private lastSent = -Infinity;
  private lastMark = -Infinity;
  /** When the last view sent early because everything was stored ({@link drained}) went. */
  private lastEarly = -Infinity;
  private readonly rows = new ConsoleTraineeRows();

  constructor(private readonly src: ViewSource) {}

  /** Something the views show changed. */
  mark(): void {
    const now = this.src.now();
    this.lastMark = now;
    if (this.timer || this.immediate) return;
    if (now - this.lastSent >= VIEW_INTERVAL_MS) {
      // Quiet until now: at once, once the current turn's commits are done.
      this.immediate = setImmediate(() => this.send());
      return;
    }
    this.arm();
  }

  /** A burst: send when it pauses for a frame, or when the interval is up, whichever is first. */
  private arm(): void {
    const due = Math.min(this.lastMark + FRAME_MS, this.lastSent + VIEW_INTERVAL_MS);
    this.at(due, () => {
      const t = this.src.now();
      // Marked again within the frame and the interval is not up: the burst goes on.
      if (t - this.lastMark < FRAME_MS && t - this.lastSent < VIEW_INTERVAL_MS) return this.arm();
      this.send();
    });
  }

  private at(due: number, fire: () => void): void {
    this.due = due;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.due = Infinity;
        fire();
      },
      Math.max(0, due - this.src.now()),
    );
  }

  /**
   * Everything the room sent has been stored and applied: a change not yet shown goes as soon as
   * a frame has passed since the last view (views stay at most one a frame).
   */
  drained(): void {
    if (this.immediate || this.lastMark <= this.lastSent) return;
    // A room joining trickles in, and the queue drains between its batches, several times a frame:
    // a view each time was 108 views in the 3.5 s a room of 5,000 took to join (47 in its last
    // half second), each building and comparing every trainee's row, and each drawn again by the
    // console's window on the same laptop. One early view an interval; the trickle's other
    // changes go by the burst's rules above.
    const now = this.src.now();
    if (now - this.lastEarly < VIEW_INTERVAL_MS) return;
    const due = this.lastSent + FRAME_MS;
    if (this.timer && this.due <= due) return;
    this.lastEarly = Math.max(now, due);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (due <= now) this.immediate = setImmediate(() => this.send());
    else this.at(due, () => this.send());
  }

  /**
   * Sends both views now (slide changes, the black screen: what the room waits for). A write that
   * has ended meanwhile is taken in first: in a burst its reply would otherwise wait behind this
   * view, which would go out without it, and another view follow it a moment later. A batch
   * that has gathered meanwhile goes to the writer thread before the view is built.
   */
  send(): void {
    this.src.poll?.();
    this.cancel();
    this.lastSent = this.src.now();
    if (this.src.consoles.size) {
      const v = this.src.consoleView();
      const change = this.rows.change(v.session?.id ?? null, v.session?.trainees ?? []);
      if (change) broadcast(this.src.consoles, change);
      broadcast(this.src.consoles, wire(v));
    }
    if (this.src.projectors.size) broadcast(this.src.projectors, this.src.projectorView());
  }

  /**
   * A console connected: the others are brought up to date first (the baseline is shared), then
   * it gets the whole list and the view.
   */
  greetConsole(ws: WebSocket): void {
    const v = this.src.consoleView();
    const change = this.rows.change(v.session?.id ?? null, v.session?.trainees ?? []);
    if (change)
      broadcast(
        [...this.src.consoles].filter((c) => c !== ws),
        change,
      );
    send(ws, this.rows.all());
    send(ws, wire(v));
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.due = Infinity;
    this.immediate = null;
  }
}
