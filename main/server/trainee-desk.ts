/**
 * The trainees' side of the classroom: every message a phone sends, joining and resuming, identity
 * claims, leaving, and what every phone sees. Each accepted message takes the commit queue's one
 * path (decided on committed memory, persisted, applied, then acknowledged); who is connected is
 * the presence registry's, claims waiting for the instructor are kept by identity-claims.ts —
 * neither is a record.
 */
import type { Outcome, SessionEngine } from '../session/engine';
import { normOfficerId } from '../../shared/identity';
import type {
  Ack,
  ConsoleClaim,
  ErrorReply,
  TraineeMessage,
  TraineeWelcome,
} from '../../shared/protocol';
import type { CommitQueue } from './commit-queue';
import { traineeCommitMessage } from './commit-words';
import type { Step } from './commands';
import type { GameRoom } from './game-room';
import type { Presence, TraineeConn } from './presence';
import type { Stage } from '../session/views/room';
import { send, together } from './fanout';
import { PhoneViews } from './phone-views';
import { IdentityClaims } from './identity-claims';
import { hashToken, randomId } from './tokens';

/**
 * A phone that joins with an officer ID whose phone was here less than this long ago is a claim on
 * someone's identity: the instructor decides. Longer (a phone that died, a new phone after lunch),
 * the new phone takes over on its own, audit-logged.
 */
export const CLAIM_WINDOW_MS = 30 * 60_000;

export interface TraineeDeskDeps {
  engine: () => SessionEngine;
  queue: CommitQueue;
  presence: Presence;
  game: GameRoom;
  stage: Stage;
  /** Every open trainee socket, joined or not. */
  trainees: Set<TraineeConn>;
  claimWindowMs?: number;
  now: () => number;
  log: (message: string, error?: unknown) => void;
  markViews(): void;
  sendViews(): void;
}

const tkey = (traineeId: string) => `t:${traineeId}`;
const tokkey = (tokenHash: string) => `tok:${tokenHash}`;

export class TraineeDesk {
  /** Claims waiting for the instructor (identity-claims.ts). */
  private readonly claims: IdentityClaims;
  /** What every phone sees (phone-views.ts). */
  private readonly views: PhoneViews;

  constructor(private readonly d: TraineeDeskDeps) {
    this.views = new PhoneViews(d);
    this.claims = new IdentityClaims({
      engine: d.engine,
      presence: d.presence,
      sendViews: () => d.sendViews(),
      withArrival: (o, traineeId, now) => this.withArrival(o, traineeId, now),
      signOut: (traineeId, keep) => this.signOut(traineeId, keep),
      admit: (conn, traineeId, token) => this.admit(conn, traineeId, token),
    });
  }

  /** Every message a phone sends gets an answer: an ack, a view, an error — never silence. */
  handleTrainee(conn: TraineeConn, msg: TraineeMessage): void {
    const now = this.d.now();
    const reply = (m: object) => send(conn.ws, m);
    const failed = (id?: string) => (code: ErrorReply['code'], message: string) =>
      reply({
        t: 'error',
        code,
        message: code === 'server' ? traineeCommitMessage(message) : message,
        ...(id ? { id } : {}),
      } satisfies ErrorReply);
    const me = conn.traineeId;
    switch (msg.t) {
      case 'ping':
        return reply({ t: 'pong' });
      case 'join':
        if (me || conn.claimId)
          return reply({ t: 'error', code: 'invalid', message: 'already joined' });
        return this.join(conn, msg, now);
      case 'resume': {
        if (me || conn.claimId)
          return reply({ t: 'error', code: 'invalid', message: 'already joined' });
        return this.resume(conn, msg.token, hashToken(msg.token), now, failed());
      }
      case 'ask':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        this.d.queue.run(
          [tkey(me), `qa:${msg.id}`],
          () =>
            this.d.engine().ask({
              qaId: randomId(9),
              traineeId: me,
              text: msg.text,
              anonymous: msg.anonymous,
              msgId: msg.id,
              now,
            }),
          (o) => {
            reply({ t: 'ack', id: msg.id, of: 'ask' } satisfies Ack);
            if (o.ops.length) this.d.markViews();
          },
          failed(msg.id),
        );
        return;
      case 'vote':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        this.d.queue.run(
          [tkey(me)],
          () => this.d.engine().vote({ qaId: msg.qaId, traineeId: me, now }),
          () => {
            reply({ t: 'ack', id: msg.id ?? msg.qaId, of: 'vote' } satisfies Ack);
            this.d.markViews();
            this.views.mark();
          },
          failed(msg.id),
        );
        return;
      case 'submit':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        this.d.queue.run(
          [tkey(me)],
          () =>
            this.d
              .engine()
              .submit({ traineeId: me, assessmentId: msg.assessmentId, msgId: msg.id, now }),
          (o) => {
            reply({ t: 'ack', id: msg.id, of: 'submit' } satisfies Ack);
            if (o.ops.length) this.d.markViews();
          },
          failed(msg.id),
        );
        return;
      case 'nickname':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        return this.d.game.setNickname(conn, me, msg.nickname, msg.id);
      case 'answer':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        this.d.queue.run(
          [tkey(me)],
          () =>
            this.d
              .engine()
              .answer({ traineeId: me, runId: msg.runId, msgId: msg.id, value: msg.value, now }),
          (o) => {
            reply({ t: 'ack', id: msg.id, of: 'answer', runId: msg.runId } satisfies Ack);
            if (o.ops.length) this.d.markViews();
          },
          failed(msg.id),
        );
        return;
      default: {
        const never: never = msg;
        throw new Error(`unhandled ${String(never)}`);
      }
    }
  }

  /** A phone comes back with its token: counted present again (or shown its ended class). */
  private resume(
    conn: TraineeConn,
    token: string,
    hash: string,
    now: number,
    failed: (code: ErrorReply['code'], message: string) => void,
  ): void {
    const owner = this.d.engine().tokenOwner(hash);
    this.d.queue.run(
      owner ? [tkey(owner), tokkey(hash)] : [tokkey(hash)],
      () => {
        const o = this.d.engine().resume({ tokenHash: hash });
        return o.ok && !o.ended ? this.withArrival(o, o.traineeId, now) : o;
      },
      (o) =>
        o.ended ? this.welcome(conn, o.traineeId, token) : this.admit(conn, o.traineeId, token),
      failed,
    );
  }

  /**
   * A phone joins with name, officer ID and room code. A new officer ID is a new trainee. One
   * already in the class is a claim on that trainee: while their phone is here (or was, within
   * {@link CLAIM_WINDOW_MS}) the instructor decides, and their phone is told; after that, the new
   * phone takes over on its own. Either way the audit log records the rebinding.
   */
  private join(conn: TraineeConn, msg: Extract<TraineeMessage, { t: 'join' }>, now: number): void {
    // A join that could not be stored is tried again by the phone on its own.
    const fail = (code: ErrorReply['code'], message: string) =>
      send(conn.ws, {
        t: 'error',
        code,
        message:
          code === 'server'
            ? `Could not join yet: the instructor's computer ${message}. Your phone tries again.`
            : message,
      } satisfies ErrorReply);
    const okey = `o:${normOfficerId(msg.officerId)}`;
    const token = msg.token ?? randomId(24);
    const tokenHash = hashToken(token);
    // Every earlier join with this officer ID or this phone's token is in memory before either is looked up.
    this.d.queue.settle([okey, tokkey(tokenHash)]);
    // The phone's own join, sent again (its welcome was lost, or the server restarted): it comes back.
    if (msg.token && this.d.engine().tokenOwner(tokenHash) !== undefined)
      return this.resume(conn, token, tokenHash, now, fail);
    const holder = this.d.engine().officerHolder(msg.officerId);
    if (holder === undefined) {
      const traineeId = randomId(9);
      this.d.queue.run(
        [okey, tkey(traineeId), tokkey(tokenHash)],
        () =>
          this.withArrival(
            this.d.engine().join({
              traineeId,
              tokenHash,
              name: msg.name,
              officerId: msg.officerId,
              agency: msg.agency,
              roomCode: msg.roomCode,
              now,
            }),
            traineeId,
            now,
          ),
        () => this.admit(conn, traineeId, token),
        fail,
      );
      return;
    }
    const s = this.d.engine().live();
    if (!s) return fail('room', 'no class is running; ask the instructor');
    if (msg.roomCode !== s.roomCode)
      return fail('room', 'that room code is not this class; check the code on the screen');
    const gone = this.d.presence.goneFor(holder, now);
    const window = this.d.claimWindowMs ?? CLAIM_WINDOW_MS;
    if (gone >= window) {
      const minutes = Math.floor(gone / 60_000);
      this.d.queue.run(
        [okey, tkey(holder), tokkey(tokenHash)],
        () =>
          this.withArrival(
            this.d.engine().rebind({
              traineeId: holder,
              tokenHash,
              connected: false,
              reason: `Joined from a new phone; the previous phone had been away ${minutes} min`,
              actor: 'system',
              now,
            }),
            holder,
            now,
          ),
        () => {
          this.signOut(holder, conn);
          this.admit(conn, holder, token);
        },
        fail,
      );
      return;
    }
    this.claims.open(conn, holder, msg, token, now);
  }

  /** The instructor allows a claim or refuses it (identity-claims.ts). */
  settleClaim(claimId: string, allow: boolean, reason: string, now: number): Step {
    return this.claims.settle(claimId, allow, reason, now);
  }

  /** The phones a trainee had, other than `keep`, no longer speak for them: they are told, and closed. */
  private signOut(traineeId: string, keep: TraineeConn): void {
    const now = this.d.now();
    for (const c of this.d.presence.conns(traineeId)) {
      if (c === keep) continue;
      // Not a leave: the trainee is still here, on the new phone.
      this.d.presence.remove(c, now);
      c.traineeId = null;
      send(c.ws, {
        t: 'signed-out',
        message:
          'You are now signed in to this class on another phone. This phone has left the class.',
      });
      c.ws.close(1000, 'signed in on another phone');
    }
  }

  /** A trainee's first phone arriving is an attendance `join`. */
  private withArrival<T>(o: Outcome<T>, traineeId: string, now: number): Outcome<T> {
    const s = this.d.engine().live();
    if (!o.ok || !s || this.d.presence.connected(traineeId)) return o;
    return {
      ...o,
      ops: [...o.ops, { op: 'attendance', sessionId: s.id, traineeId, event: 'join', at: now }],
    };
  }

  /** The records hold the phone's join or resume: it is counted present and welcomed. */
  private admit(conn: TraineeConn, traineeId: string, token: string): void {
    this.d.presence.add(conn, traineeId);
    if (conn.ws.readyState !== 1) {
      // It left while its join was being stored: that is a leave, like any other.
      this.traineeClosed(conn);
      return;
    }
    this.welcome(conn, traineeId, token);
    this.d.markViews();
  }

  private welcome(conn: TraineeConn, traineeId: string, token: string): void {
    const t = this.d.engine().trainees.get(traineeId);
    if (!t) return;
    conn.token = token;
    conn.traineeId ??= traineeId;
    const w: TraineeWelcome = {
      t: 'welcome',
      token,
      trainee: { id: t.id, name: t.name, officerId: t.officerId, agency: t.agency },
      answer: this.d.engine().answerOf(traineeId),
      assessment: this.d.engine().assessmentOf(traineeId),
    };
    together(conn.ws, () => {
      send(conn.ws, w);
      send(conn.ws, this.views.view());
      this.d.game.sendTo(conn);
    });
  }

  traineeClosed(conn: TraineeConn): void {
    this.d.trainees.delete(conn);
    const claim = conn.claimId ? this.claims.get(conn.claimId) : undefined;
    if (claim) {
      this.claims.dropClaim(claim);
      this.d.markViews();
    }
    const id = conn.traineeId;
    if (!id) return;
    const now = this.d.now();
    const last = this.d.presence.remove(conn, now);
    const s = this.d.engine().live();
    this.d.markViews();
    if (!last || !s) return;
    this.d.queue.run(
      [tkey(id)],
      (): Outcome => ({
        ok: true,
        traineesChanged: false,
        ops: [{ op: 'attendance', sessionId: s.id, traineeId: id, event: 'leave', at: now }],
      }),
      () => this.d.markViews(),
      (_code, message) => this.d.log(`the leave of trainee ${id} was not stored: ${message}`),
    );
  }

  /** One serialisation, the same bytes to every phone of the class. */
  broadcastTrainees(): void {
    this.views.broadcast();
  }

  /** Sends a fresh welcome (same token, current identity) to every phone of a trainee. */
  rewelcome(traineeId: string): void {
    for (const c of this.d.trainees)
      if (c.traineeId === traineeId && c.token) this.welcome(c, traineeId, c.token);
  }

  /** A new session: phones of an earlier class are no part of it (they show that class as ended). */
  sessionStarted(): void {
    for (const c of this.d.trainees) c.traineeId = null;
    this.claims.dropAll();
  }

  /** The class ended: phones still waiting on a claim are told. */
  sessionEnded(): void {
    this.claims.ended();
  }

  /** The claims waiting for the instructor, as the console shows them. */
  consoleClaims(): ConsoleClaim[] {
    return this.claims.consoleClaims();
  }

  close(): void {
    this.views.close();
  }
}
