/**
 * What the instructor does next, decided from the console view alone (pure, so it is tested in
 * Node): one obvious primary action for the moment — Open question → Close question → Show
 * results → Next slide, or for a role-play Open vote → Close vote → Reveal debrief → Follow — and
 * the few others that make sense now. Each action appears once, under one name.
 */
import type { ConsoleView, InstructorCommand, ProjectorView } from '../../shared/protocol';

type Session = NonNullable<ConsoleView['session']>;

export interface Action {
  label: string;
  cmd: InstructorCommand;
  /** The key that does the same (shown on the button). */
  key?: string;
}

export interface Actions {
  primary: Action | null;
  others: Action[];
  /** The scenario branch the primary action follows (the panel leaves it out of its list). */
  follows: string | null;
}

const next = (s: Session): Action | null =>
  s.slideIndex < s.slideCount - 1 ? { label: 'Next slide', cmd: { type: 'next' }, key: '→' } : null;

/** The branch to follow after a reveal: the class's choice if it voted, the recommended one otherwise. */
function suggested(s: Session): { id: string; text: string } | null {
  const n = s.scenario?.node;
  if (!n || n.end || !n.options.length) return null;
  const id = s.scenario!.majority ?? n.best ?? n.options[0].id;
  const o = n.options.find((x) => x.id === id) ?? n.options[0];
  return { id: o.id, text: o.text };
}

export function actionsFor(s: Session): Actions {
  const out: Actions = { primary: null, others: [], follows: null };
  const add = (a: Action | null) => a && out.others.push(a);
  if (s.scenario) {
    const n = s.scenario.node;
    if (n.end) out.primary = next(s);
    else if (s.phase === 'question') {
      out.primary = { label: 'Close vote', cmd: { type: 'closeQuestion' } };
      add({ label: 'Reveal debrief', cmd: { type: 'showResults' } });
    } else if (s.phase === 'closed')
      out.primary = { label: 'Reveal debrief', cmd: { type: 'showResults' } };
    else if (s.phase === 'results') {
      const b = suggested(s);
      if (b) {
        out.primary = { label: `Follow: ${b.text}`, cmd: { type: 'follow', option: b.id } };
        out.follows = b.id;
      }
    } else out.primary = { label: 'Open vote', cmd: { type: 'openQuestion' } };
    if (s.phase !== 'question' && out.primary?.cmd.type !== 'next') add(next(s));
    return out;
  }
  if (s.slide?.question) {
    if (s.phase === 'question') {
      out.primary = { label: 'Close question', cmd: { type: 'closeQuestion' } };
      add({ label: 'Show results', cmd: { type: 'showResults' } });
    } else if (s.phase === 'closed') {
      out.primary = { label: 'Show results', cmd: { type: 'showResults' } };
      add(next(s));
    } else if (s.phase === 'results') out.primary = next(s);
    else {
      out.primary = { label: 'Open question', cmd: { type: 'openQuestion' } };
      add(next(s));
    }
    return out;
  }
  out.primary = next(s);
  return out;
}

/** What the projector shows, in a few words, for the label under the console's picture of it. */
export function screenLabel(v: ProjectorView | null): string {
  if (!v) return 'Not connected';
  if (v.blank === 'black') return 'Black screen';
  if (v.blank === 'white') return 'White screen';
  switch (v.screen) {
    case 'idle':
      return 'Nothing: no class running';
    case 'join':
      return 'Join screen';
    case 'slide':
      return v.slide ? `Slide ${v.slide.index + 1}: ${v.slide.title}` : 'Slide';
    case 'question':
      return v.results
        ? 'Question, answers live'
        : v.phase === 'closed'
          ? 'Question, closed'
          : 'Question';
    case 'results':
      return 'Results';
    case 'scenario':
      return v.scenario?.debrief ? 'Role-play debrief' : 'Role-play situation';
    case 'qa':
      return 'Q&A board';
    case 'leaderboard':
      return 'Leaderboard';
    case 'gain':
      return 'Knowledge gain';
    case 'assessment':
      return v.assessment ? `${v.assessment.title}: progress` : 'Test progress';
    case 'ended':
      return 'Session ended';
  }
}
