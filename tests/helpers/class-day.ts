/**
 * A full class day stored through Records.apply, as the classroom stores one: 30 trainees (some
 * with IDs that start with zeros, one with a name a spreadsheet would run), a roster with two
 * officers who never come, five modules, a pre-test, twelve live questions and a post-test, Q&A,
 * an evaluation and corrections in the audit log. For the print checks and the PDFs.
 */
import type { Records } from '../../main/records/db';
import type { RecordOp } from '../../main/session/engine';
import type { QuestionDef } from '../../shared/question';

const MIN = 60_000;
const LAST = [
  'Ortiz',
  'Cole',
  'Diaz',
  'Patel',
  'Nguyen',
  'Okafor',
  'Schmidt',
  'de la Cruz',
  'Van Dyke',
  'Hernández',
  'Kowalski',
  'Johnson',
  'Reyes',
  'Brown',
  'Williams',
];
const FIRST = [
  'Ana',
  'Ben',
  'Cara',
  'Dev',
  'Linh',
  'Chidi',
  'Greta',
  'María',
  'Pieter',
  'José',
  'Zofia',
  'Marcus',
  'Lucía',
  'Tom',
  'Keisha',
];
const AGENCIES = [
  'Riverside Police Department',
  'Harris County Sheriff’s Office',
  'Texas Department of Public Safety — Highway Patrol Division',
  'Metro Transit Police',
];
export const MODULES = [
  'Module 1: What trafficking is',
  'Module 2: Indicators on patrol',
  'Module 3: Talking with a possible victim',
  'Module 4: Working the case',
  'Module 5: Partners and resources',
];

const question = (i: number, kind: 'pre' | 'live' | 'post'): QuestionDef => ({
  id: `${kind}-${i}`,
  type: 'single',
  prompt: `${kind === 'live' ? 'Live' : kind === 'pre' ? 'Pre-test' : 'Post-test'} question ${i}: which of these is an indicator of trafficking that an officer on patrol may notice during a traffic stop?`,
  options: ['Someone else holds their ID', 'A rental car', 'Out-of-state plates'],
  correct: 'Someone else holds their ID',
  tags: [['indicators', 'definitions', 'victim-interview', 'labor-trafficking'][i % 4]],
});

export interface ClassDay {
  sessionId: string;
  start: number;
  end: number;
  people: { id: string; name: string; officerId: string; agency: string }[];
}

/** Stores the class day starting at `start` (an instant) and ending eight hours later. */
export function storeClassDay(
  r: Records,
  start: number,
  o: { sessionId?: string; trainees?: number } = {},
): ClassDay {
  const sid = o.sessionId ?? 'day-1';
  const n = o.trainees ?? 30;
  const end = start + 8 * 60 * MIN;
  const at = (m: number) => start + m * MIN;
  const people = Array.from({ length: n }, (_, i) => ({
    id: `${sid}-t${i + 1}`,
    name:
      i === 7
        ? '=HYPERLINK("http://x","María de la Cruz")'
        : `${FIRST[i % FIRST.length]}${i >= FIRST.length ? ' J.' : ''} ${LAST[(i * 7) % LAST.length]}`,
    officerId: i % 3 === 0 ? String(417 + i).padStart(5, '0') : String(20000 + i * 37),
    agency: AGENCIES[i % AGENCIES.length],
  }));
  const ops: RecordOp[] = [
    {
      op: 'session',
      id: sid,
      roomCode: '482913',
      course: 'human-trafficking',
      courseTitle: 'Human Trafficking: Identify and Respond (Patrol)',
      courseNumber: '3270',
      creditHours: 8,
      passMark: 70,
      file: '01.md',
      title: MODULES[0],
      at: start,
    },
    {
      op: 'roster',
      sessionId: sid,
      name: 'Class roster',
      entries: [
        ...people.map((p) => ({
          officerId: p.officerId,
          name: p.name,
          agency: p.agency,
          email: '',
        })),
        {
          officerId: '00777',
          name: 'Rosa Alvarez',
          agency: 'Riverside Police Department',
          email: '',
          firstName: 'Rosa',
          lastName: 'Alvarez',
        },
        { officerId: '31337', name: 'Sam Whitfield', agency: 'Metro Transit Police', email: '' },
      ],
      reason: 'Roster file imported',
      actor: 'instructor',
      at: start - 30 * MIN,
    },
  ];
  people.forEach((p, i) => {
    ops.push({
      op: 'trainee',
      id: p.id,
      sessionId: sid,
      name: p.name,
      officerId: p.officerId,
      agency: p.agency,
      at: at(1 + (i % 12)),
    });
    ops.push({
      op: 'attendance',
      sessionId: sid,
      traineeId: p.id,
      event: 'join',
      at: at(1 + (i % 12)),
    });
    if (i % 10 === 4)
      ops.push({ op: 'attendance', sessionId: sid, traineeId: p.id, event: 'leave', at: at(400) });
  });
  MODULES.slice(1).forEach((title, k) =>
    ops.push({ op: 'module', sessionId: sid, file: `0${k + 2}.md`, title, at: at(90 * (k + 1)) }),
  );
  const assess = (
    id: string,
    kind: 'pretest' | 'posttest',
    title: string,
    t: number,
    qs: QuestionDef[],
  ) => {
    ops.push({
      op: 'assessmentOpen',
      id,
      sessionId: sid,
      key: kind,
      kind,
      assessmentId: kind,
      title,
      slideIndex: 0,
      at: at(t),
      runs: qs.map((q, j) => ({ runId: `${id}-r${j}`, question: q, position: j })),
    });
    people.forEach((p, i) =>
      qs.forEach((q, j) => {
        const right = (i + j) % (kind === 'pretest' ? 3 : 5) !== 0;
        const value = right ? 'Someone else holds their ID' : 'A rental car';
        ops.push({
          op: 'answer',
          runId: `${id}-r${j}`,
          sessionId: sid,
          traineeId: p.id,
          msgId: `${id}-${i}-${j}`,
          value,
          correct: right,
          at: at(t + 1 + j * 0.5),
        });
      }),
    );
    ops.push({ op: 'assessmentClose', id, at: at(t + 15) });
  };
  assess(
    `${sid}-pre`,
    'pretest',
    'Pre-test',
    15,
    Array.from({ length: 10 }, (_, j) => question(j, 'pre')),
  );
  for (let k = 0; k < 12; k++) {
    const runId = `${sid}-live${k}`;
    ops.push({
      op: 'runOpen',
      runId,
      sessionId: sid,
      slideIndex: 3 + k,
      question: question(k, 'live'),
      at: at(40 + k * 25),
      deadline: null,
    });
    people.forEach((p, i) => {
      const right = (i + k) % 4 !== 0;
      ops.push({
        op: 'answer',
        runId,
        sessionId: sid,
        traineeId: p.id,
        msgId: `live-${k}-${i}`,
        value: right ? 'Someone else holds their ID' : 'Out-of-state plates',
        correct: right,
        at: at(41 + k * 25),
      });
    });
    ops.push({ op: 'runClose', runId, at: at(43 + k * 25) });
  }
  assess(
    `${sid}-post`,
    'posttest',
    'Post-test',
    440,
    Array.from({ length: 10 }, (_, j) => question(j, 'post')),
  );
  ops.push(
    {
      op: 'qaAsk',
      id: `${sid}-qa1`,
      sessionId: sid,
      traineeId: people[0].id,
      text: 'Does a T visa need the victim to cooperate with the investigation?',
      anonymous: false,
      msgId: `${sid}-qm1`,
      at: at(100),
    },
    {
      op: 'qaAsk',
      id: `${sid}-qa2`,
      sessionId: sid,
      traineeId: null,
      text: 'What if the victim is a minor and says they are fine?',
      anonymous: true,
      msgId: `${sid}-qm2`,
      at: at(200),
    },
    {
      op: 'correctTrainee',
      sessionId: sid,
      traineeId: people[1].id,
      before: { name: people[1].name, officerId: people[1].officerId, agency: people[1].agency },
      after: {
        name: `${people[1].name}`,
        officerId: people[1].officerId,
        agency: 'Riverside Police Department',
      },
      reason: 'Agency as on the roster',
      actor: 'instructor',
      at: at(60),
    },
    { op: 'end', sessionId: sid, at: end },
  );
  for (let i = 0; i < ops.length; i += 50) r.apply(ops.slice(i, i + 50));
  r.db
    .prepare(`UPDATE sessions SET instructors = ?, location = ? WHERE id = ?`)
    .run(
      'Sgt. Maria Lopez; Det. Sam Reed (PID 4471)',
      'Riverside Regional Training Center, Room 2',
      sid,
    );
  return { sessionId: sid, start, end, people };
}
