/**
 * The instructor's commands, one entry each. An entry either changes the room's presentation at
 * once (`stage`: nothing to store) or returns a decision to commit (`commit`), with what to do
 * once the records hold it. Its policy says what moving on does to the room, applied only once
 * the move is stored (a refused or failed command leaves the room as it was).
 *
 * The projector shows one thing at a time: putting up the Q&A board, the knowledge gain or the
 * leaderboard replaces whichever of them was up, and every step of the class (a slide, a question
 * opened or closed, its results, a branch of a scenario, a test, the end) takes it down again.
 */
import crypto from 'node:crypto';
import type { Outcome } from '../session/engine';
import { knowledgeGain } from '../records/assessments';
import type { InstructorCommand, ProjectorOverlay } from '../../shared/protocol';
import type { Room } from './room';

export interface CommandPolicy {
  /** A step of the class: it replaces whatever was put up over the lecture (the Q&A board, the knowledge gain, the leaderboard). */
  takesDown?: boolean;
  /** Uncovers a black or white screen (a slide change is what the room should see). */
  uncovers?: boolean;
}

export type Step =
  /** A presentation change, done now; `error` refuses it. */
  | { stage: true; error?: string }
  /** A decision to commit; `after` runs once the records hold it. */
  | { stage?: false; decide: () => Outcome<object>; after?: () => void };

type Cmd<K extends InstructorCommand['type']> = Extract<InstructorCommand, { type: K }>;
interface Handler<K extends InstructorCommand['type']> {
  policy?: CommandPolicy;
  run(cmd: Cmd<K>, room: Room, now: number): Step;
}
type Table = { [K in InstructorCommand['type']]: Handler<K> };

const randomId = (bytes = 9) => crypto.randomBytes(bytes).toString('base64url');
const stage = (error?: string | null): Step => ({ stage: true, ...(error ? { error } : {}) });
const step: CommandPolicy = { takesDown: true };
const moveOn: CommandPolicy = { takesDown: true, uncovers: true };

/** Puts one thing up over the lecture, in place of any other, or takes it down. */
function putUp(room: Room, overlay: ProjectorOverlay, show: boolean): void {
  if (show) room.stage.overlay = overlay;
  else if (room.stage.overlay === overlay) room.stage.overlay = null;
}

export const COMMANDS: Table = {
  startSession: {
    policy: step,
    run(cmd, room, now) {
      const deck = room
        .decks()
        .find((d) => d.course === cmd.deck.course && d.file === cmd.deck.file);
      if (!deck)
        return {
          decide: () => ({
            ok: false,
            code: 'not-found',
            message: `no deck ${cmd.deck.course}/${cmd.deck.file}`,
          }),
        };
      return {
        decide: () =>
          room.withRoster(
            room.engine.start({
              sessionId: crypto.randomUUID(),
              roomCode: crypto.randomInt(0, 1_000_000).toString().padStart(6, '0'),
              deck,
              now,
            }),
          ),
        after: () => room.sessionStarted(now),
      };
    },
  },
  goto: {
    policy: moveOn,
    run: (cmd, room, now) => ({ decide: () => room.engine.goto(cmd.index, now, randomId()) }),
  },
  next: {
    policy: moveOn,
    run: (_cmd, room, now) => ({
      decide: () => room.engine.goto((room.engine.session?.slideIndex ?? 0) + 1, now, randomId()),
    }),
  },
  prev: {
    policy: moveOn,
    run: (_cmd, room, now) => ({
      decide: () => room.engine.goto((room.engine.session?.slideIndex ?? 0) - 1, now, randomId()),
    }),
  },
  follow: {
    policy: step,
    run: (cmd, room, now) => ({ decide: () => room.engine.follow(cmd.option, now) }),
  },
  openQuestion: {
    policy: step,
    run: (_cmd, room, now) => ({ decide: () => room.engine.openQuestion(randomId(), now) }),
  },
  closeQuestion: {
    policy: step,
    run: (_cmd, room, now) => ({ decide: () => room.engine.closeQuestion(now) }),
  },
  showResults: {
    policy: step,
    run: (_cmd, room, now) => ({
      decide: () => room.engine.showResults(now),
      after: () => room.game.reveal(),
    }),
  },
  endSession: {
    policy: step,
    run: (_cmd, room, now) => ({
      decide: () => room.withLeaves(room.engine.end(now), now),
      after: () => room.sessionEnded(),
    }),
  },
  switchModule: {
    policy: moveOn,
    run(cmd, room, now) {
      const current = room.engine.session?.deck;
      const deck = room.decks().find((d) => d.course === current?.course && d.file === cmd.file);
      if (!current || !deck)
        return {
          decide: () => ({
            ok: false,
            code: 'not-found',
            message: `no module ${cmd.file} in this course`,
          }),
        };
      return { decide: () => room.engine.switchModule(deck, now) };
    },
  },
  sessionDetails: {
    run: (cmd, room, now) => ({
      decide: () =>
        room.engine.details({ instructors: cmd.instructors, location: cmd.location, now }),
    }),
  },
  correctTrainee: {
    run: (cmd, room, now) => ({
      decide: () => room.engine.correctTrainee({ ...cmd, actor: 'instructor', now }),
      after: () => room.rewelcome(cmd.traineeId),
    }),
  },
  moveDevice: {
    run: (cmd, room, now) => ({
      decide: () =>
        room.withMoveAttendance(
          room.engine.moveDevice({ ...cmd, actor: 'instructor', now }),
          cmd.fromTraineeId,
          cmd.toTraineeId,
          now,
        ),
      after: () => {
        // The phones' sockets belong to the other trainee from now on (so a disconnect counts for them).
        room.presence.move(cmd.fromTraineeId, cmd.toTraineeId);
        room.rewelcome(cmd.toTraineeId);
      },
    }),
  },
  claim: { run: (cmd, room, now) => room.settleClaim(cmd.claimId, cmd.allow, cmd.reason, now) },
  qa: {
    run: (cmd, room, now) => ({
      decide: () => room.engine.moderate({ qaId: cmd.qaId, action: cmd.action, now }),
    }),
  },
  openAssessment: {
    policy: step,
    run(cmd, room, now) {
      const def = room.engine.session?.deck.assessments?.find((a) => a.key === cmd.key);
      return {
        decide: () =>
          room.engine.openAssessment({
            id: randomId(),
            key: cmd.key,
            runIds: (def?.questions ?? []).map(() => randomId()),
            now,
          }),
      };
    },
  },
  closeAssessment: {
    run: (_cmd, room, now) => ({ decide: () => room.engine.closeAssessment(now) }),
  },
  dismissAssessment: {
    policy: step,
    run: (_cmd, room) => ({ decide: () => room.engine.dismissAssessment() }),
  },
  showGain: {
    run(cmd, room) {
      const st = room.stage;
      if (!cmd.show) {
        putUp(room, 'gain', false);
        return stage();
      }
      const s = room.engine.session;
      // Read from what is stored: every acknowledged answer is in the records.
      const gain = s ? knowledgeGain(room.records, s.id) : null;
      if (!gain) return stage('this session has no post-test yet: give the post-test first');
      st.gain = gain;
      putUp(room, 'gain', true);
      return stage();
    },
  },
  hidePrompt: {
    run(cmd, room) {
      if (!room.engine.live()) return stage('start a session first');
      room.stage.hidePrompt = cmd.hide;
      room.broadcastTrainees();
      return stage();
    },
  },
  profanityFilter: {
    run(cmd, room) {
      room.stage.profanityFilter = cmd.on;
      room.saveProfanityFilter(cmd.on);
      // The Q&A board on the phones is filtered too.
      room.broadcastTrainees();
      return stage();
    },
  },
  gameMode: { run: (cmd, room) => stage(room.game.setMode(cmd.mode)) },
  showLeaderboard: { run: (cmd, room) => stage(room.game.setShow(cmd.show)) },
  resetNickname: { run: (cmd, room) => stage(room.game.resetNickname(cmd.traineeId)) },
  showQa: {
    run(cmd, room) {
      putUp(room, 'qa', cmd.show);
      return stage();
    },
  },
  showJoin: {
    run(cmd, room) {
      room.stage.showJoin = cmd.show;
      return stage();
    },
  },
  blank: {
    run(cmd, room) {
      const st = room.stage;
      st.blank = cmd.toggle && st.blank === cmd.mode ? 'none' : cmd.mode;
      return stage();
    },
  },
  setTheme: {
    run(cmd, room) {
      room.stage.theme = cmd.theme;
      room.saveTheme(cmd.theme);
      return stage();
    },
  },
  setJoinHost: { run: (cmd, room) => stage(room.setJoinHost(cmd.host)) },
};
