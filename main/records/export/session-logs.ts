/** The sheets of what happened in the room, in order: the Q&A board, the audit log, role-play. */
import type { Records } from '../db';
import { localInstants, neutralise, readableJson, text } from './cells';
import { tableColumns } from './optional-tables';
import type { Cell, SheetSpec } from './xlsx';
import type { Clock } from '../../../shared/clock';

/** Q&A from the `qa_questions` table when it exists. An anonymous question never shows who asked. */
export function qaSheet(
  records: Records,
  sessionId: string,
  idLabel: string,
  clock: Clock,
): SheetSpec {
  const rows: Cell[][] = [
    ['Asked at', 'Name', idLabel, 'Anonymous', 'Question', 'Status', 'Pinned', 'Votes'],
  ];
  const cols = tableColumns(records, 'qa_questions');
  if (cols.has('session_id') && cols.has('text')) {
    const c = (name: string) => (cols.has(name) ? `q.${name}` : 'NULL');
    const anonymous = cols.has('anonymous') ? 'q.anonymous' : '0';
    // The join itself is conditional: for an anonymous question not even the name is read.
    const join = cols.has('trainee_id')
      ? `LEFT JOIN trainees t ON t.id = q.trainee_id AND IFNULL(${anonymous}, 1) = 0`
      : 'LEFT JOIN trainees t ON 0';
    const found = records.db
      .prepare(
        `SELECT ${c('created_at')} AS created_at, t.name, t.officer_id, ${anonymous} AS anonymous, q.text, ${c('status')} AS status, ${c('pinned')} AS pinned, ${c('votes')} AS votes
         FROM qa_questions q ${join} WHERE q.session_id = ? ORDER BY ${c('created_at')}, q.rowid`,
      )
      .all(sessionId) as {
      created_at: number | null;
      name: string | null;
      officer_id: string | null;
      anonymous: number | null;
      text: string;
      status: string | null;
      pinned: number | null;
      votes: number | null;
    }[];
    for (const q of found) {
      const anon = q.anonymous !== 0;
      rows.push([
        clock.dateTime(q.created_at),
        anon ? '' : text(q.name),
        anon ? '' : text(q.officer_id),
        anon ? 'Yes' : 'No',
        neutralise(q.text),
        text(q.status),
        q.pinned === null ? '' : q.pinned ? 'Yes' : 'No',
        q.votes ?? '',
      ]);
    }
  }
  return { name: 'Q&A', rows, widths: [16, 22, 11, 10, 60, 10, 7, 6], wrap: [1, 4] };
}

export function auditSheet(records: Records, sessionId: string, clock: Clock): SheetSpec {
  const rows: Cell[][] = [
    ['Time', 'Actor', 'Action', 'Entity', 'Entity ID', 'Before', 'After', 'Reason'],
  ];
  const found = records.db
    .prepare(
      `SELECT at, actor, action, entity, entity_id, before_json, after_json, reason FROM audit_log WHERE session_id = ? ORDER BY seq`,
    )
    .all(sessionId) as {
    at: number;
    actor: string;
    action: string;
    entity: string;
    entity_id: string;
    before_json: string | null;
    after_json: string | null;
    reason: string;
  }[];
  for (const a of found)
    rows.push([
      clock.dateTime(a.at),
      text(a.actor),
      text(a.action),
      text(a.entity),
      text(a.entity_id),
      readableJson(a.before_json, clock),
      readableJson(a.after_json, clock),
      localInstants(a.reason, clock),
    ]);
  return { name: 'Audit log', rows, widths: [16, 12, 16, 10, 20, 36, 36, 36], wrap: [4, 5, 6, 7] };
}

/** Role-play: the path the class took, each decision with the split of its vote. */
export function scenariosSheet(
  records: Records,
  sessionId: string,
  clock: Clock,
): SheetSpec | null {
  const steps = records.db
    .prepare(
      `SELECT scenario_id, play_id, step, from_node, option_id, to_node, run_id, at FROM scenario_steps WHERE session_id = ? ORDER BY seq`,
    )
    .all(sessionId) as {
    scenario_id: string;
    play_id: string;
    step: number;
    from_node: string;
    option_id: string;
    to_node: string;
    run_id: string | null;
    at: number;
  }[];
  if (!steps.length) return null;
  const votes = records.db.prepare(
    `SELECT value_json, COUNT(*) AS n FROM responses WHERE run_id = ? GROUP BY value_json`,
  );
  const rows: Cell[][] = [
    [
      'Scenario',
      'Play',
      'Step',
      'At decision',
      'Branch followed',
      'Led to',
      'Votes',
      'Vote split',
      'Time',
    ],
  ];
  for (const st of steps) {
    const split = st.run_id ? (votes.all(st.run_id) as { value_json: string; n: number }[]) : [];
    const total = split.reduce((n, v) => n + v.n, 0);
    rows.push([
      st.scenario_id,
      st.play_id,
      st.step,
      st.from_node,
      st.option_id,
      st.to_node,
      st.run_id ? total : '',
      split.map((v) => `${neutralise(JSON.parse(v.value_json) as string)}: ${v.n}`).join(' | '),
      clock.dateTime(st.at),
    ]);
  }
  return {
    name: 'Scenarios',
    rows,
    widths: [18, 12, 5, 16, 18, 16, 6, 44, 16],
    wrap: [0, 3, 4, 5, 7],
  };
}
