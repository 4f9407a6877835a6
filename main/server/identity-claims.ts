/**
 * Identity claims: a phone that joins with the officer ID of a trainee whose phone is here (or was,
 * within the claim window) waits here until the instructor allows it to take over or refuses it.
 * Claims are not records: they live only as long as the phone that asked.
 */
import type { Outcome, SessionEngine } from '../session/engine';
import type { ConsoleClaim, ErrorReply, TraineeMessage } from '../../shared/protocol';
import type { Step } from './commands';
import type { Presence, TraineeConn } from './presence';
import { send } from './fanout';
import { hashToken, randomId } from './tokens';

export interface IdentityClaimsDeps {
  engine: () => SessionEngine;
  presence: Presence;
  sendViews(): void;
  /** The trainee desk's: a trainee's first phone arriving is an attendance `join`. */
  withArrival(o: Outcome, traineeId: string, now: number): Outcome;
  /** The trainee desk's: the trainee's other phones are told, and closed. */
  signOut(traineeId: string, keep: TraineeConn): void;
  /** The trainee desk's: the phone is counted present and welcomed. */
  admit(conn: TraineeConn, traineeId: string, token: string): void;
}

interface Claim {
  id: string;
  conn: TraineeConn;
  token: string;
  traineeId: string;
  claimed: { name: string; officerId: string; agency: string };
  at: number;
}

export class IdentityClaims {
  private readonly claims = new Map<string, Claim>();

  constructor(private readonly d: IdentityClaimsDeps) {}

  /** The phone asks to be `holder`: the instructor decides; it is told to wait, their phone is told. */
  open(
    conn: TraineeConn,
    holder: string,
    msg: Extract<TraineeMessage, { t: 'join' }>,
    token: string,
    now: number,
  ): void {
    const claim: Claim = {
      id: randomId(9),
      conn,
      token,
      traineeId: holder,
      claimed: { name: msg.name, officerId: msg.officerId, agency: msg.agency },
      at: now,
    };
    this.claims.set(claim.id, claim);
    conn.claimId = claim.id;
    send(conn.ws, {
      t: 'claim',
      message: `Officer ID ${msg.officerId} is already in this class on another phone. The instructor has been asked to confirm that this is you; please wait.`,
    });
    for (const c of this.d.presence.conns(holder))
      send(c.ws, {
        t: 'notice',
        message: `Another phone is asking to join this class as you (officer ID ${msg.officerId}). The instructor will decide. If this was not you, tell the instructor.`,
      });
    this.d.sendViews();
  }

  /** The instructor allows a claim (the new phone takes over, audit-logged with the reason) or refuses it. */
  settle(claimId: string, allow: boolean, reason: string, now: number): Step {
    const c = this.claims.get(claimId);
    if (!c)
      return {
        stage: true,
        error: 'that request is no longer waiting (the phone left, or it was settled)',
      };
    if (allow && !reason.trim())
      return {
        stage: true,
        error: 'say why this phone may take over (the reason goes into the audit log)',
      };
    if (allow)
      return {
        decide: () =>
          this.d.withArrival(
            this.d.engine().rebind({
              traineeId: c.traineeId,
              tokenHash: hashToken(c.token),
              connected: this.d.presence.connected(c.traineeId),
              reason,
              actor: 'instructor',
              now,
            }),
            c.traineeId,
            now,
          ),
        after: () => {
          this.dropClaim(c);
          this.d.signOut(c.traineeId, c.conn);
          this.d.admit(c.conn, c.traineeId, c.token);
        },
      };
    return {
      decide: () =>
        this.d.engine().refuseClaim({
          traineeId: c.traineeId,
          claimed: c.claimed,
          reason,
          actor: 'instructor',
          now,
        }),
      after: () => {
        this.dropClaim(c);
        send(c.conn.ws, {
          t: 'error',
          code: 'forbidden',
          message:
            'The instructor did not confirm this officer ID for this phone. Check the officer ID, or speak to the instructor.',
        } satisfies ErrorReply);
      },
    };
  }

  dropClaim(c: Claim): void {
    this.claims.delete(c.id);
    if (c.conn.claimId === c.id) delete c.conn.claimId;
  }

  get(claimId: string): Claim | undefined {
    return this.claims.get(claimId);
  }

  /** A new session: claims on the earlier class's trainees are dropped. */
  dropAll(): void {
    for (const c of this.claims.values()) this.dropClaim(c);
  }

  /** The class ended: phones still waiting on a claim are told. */
  ended(): void {
    for (const c of [...this.claims.values()]) {
      this.dropClaim(c);
      send(c.conn.ws, {
        t: 'error',
        code: 'room',
        message: 'The class has ended.',
      } satisfies ErrorReply);
    }
  }

  /** The claims waiting for the instructor, as the console shows them. */
  consoleClaims(): ConsoleClaim[] {
    const e = this.d.engine();
    return [...this.claims.values()].map((c) => {
      const t = e.trainees.get(c.traineeId);
      return {
        id: c.id,
        at: c.at,
        claimed: c.claimed,
        trainee: {
          id: c.traineeId,
          name: t?.name ?? '',
          officerId: t?.officerId ?? '',
          agency: t?.agency ?? '',
          connected: this.d.presence.connected(c.traineeId),
        },
      };
    });
  }
}
