/**
 * The records server benchmark's synthetic year (tests/bench/records-server.ts): a 10-room academy's
 * answers in the monthly partitions with their derived tables, then the records office queries,
 * each timed.
 */
import type pg from 'pg';
import {
  officeHistory,
  officeRosterSheets,
  officeWeakSpots,
} from '../../main/records-server/queries';
import { writeXlsx } from '../../main/records/export';
import { now, round, step, timed } from './records-server-measure';

/** `answers`: how many answers the year holds in all. */
export async function syntheticYear(admin: pg.Client, ANSWERS: number) {
  const rooms = 10;
  const sessions = 2000;
  // A class day of 60 officers answering 200 questions (pre-test, post-test, live questions): 12,000 answers.
  const questions = 200;
  const perSession = Math.max(1, Math.round(ANSWERS / sessions / questions));
  const day0 = Date.UTC(2025, 0, 6, 14);
  const t0 = now();
  await admin.query(`SET synchronous_commit = off`);
  await admin.query(
    `INSERT INTO muster.consoles (login, room) SELECT 'muster_c_year_' || r, 'Room ' || r FROM generate_series(1, ${rooms}) r`,
  );
  // Sessions: each room, each working day, one class day.
  await admin.query(`
    INSERT INTO muster.sessions (console, src_seq, id, room_code, course, course_title, deck_file, title, started_at, ended_at, slide_index, course_number, credit_hours, pass_mark, instructors, location)
    SELECT 'muster_c_year_' || (1 + n % ${rooms}), n, 'Y' || n, '123456', 'human-trafficking', 'Human Trafficking Awareness', '01.md', 'Understanding',
           ${day0} + (n / ${rooms}) * 86400000::bigint * 7 / 5, ${day0} + (n / ${rooms}) * 86400000::bigint * 7 / 5 + 4 * 3600000, 20, 'HT-101', 4, 70, 'Sgt. Ruiz', 'Academy'
    FROM generate_series(0, ${sessions - 1}) n`);
  const days = (
    await admin.query(
      `SELECT array_agg(DISTINCT started_at / 86400000) AS d FROM muster.sessions WHERE console LIKE 'muster_c_year_%'`,
    )
  ).rows[0].d as string[];
  await admin.query(`SELECT muster.ensure_partitions('responses', $1::bigint[])`, [days]);
  step(`writing ${(sessions * perSession * questions).toLocaleString('en-US')} answers`);
  for (let r = 1; r <= rooms; r++) {
    await admin.query(`
      INSERT INTO muster.responses (console, src_seq, run_id, trainee_id, session_id, value_json, correct, first_at, answered_at, changes)
      SELECT s.console, 1, s.id || '-r' || q, s.id || '-t' || t, s.id, CASE WHEN (t + q) % 4 = 1 THEN '"B"' ELSE '"A"' END, CASE WHEN (t + q) % 4 = 1 THEN 0 ELSE 1 END,
             s.started_at + 1800000 + q * 180000 + t, s.started_at + 1800000 + q * 180000 + t, 0
      FROM muster.sessions s CROSS JOIN generate_series(0, ${perSession - 1}) t CROSS JOIN generate_series(0, ${questions - 1}) q
      WHERE s.console = 'muster_c_year_${r}'`);
    step(`room ${r} of ${rooms}`);
  }
  // The derived tables, as the deriver would have written them for these sessions.
  await admin.query(`
    INSERT INTO muster.trainee_results (console, session_id, trainee_id, officer_key, officer_id, name, agency, started_at, join_order, result)
    SELECT s.console, s.id, s.id || '-t' || t, o.id, o.id, 'Officer ' || o.id, 'Agency ' || (t % 20), s.started_at, t + 1,
           jsonb_build_object('traineeId', s.id || '-t' || t, 'name', 'Officer ' || o.id, 'officerId', o.id, 'agency', 'Agency ' || (t % 20), 'joinedAt', s.started_at + t,
             'checkIn', s.started_at + t, 'checkOut', s.ended_at, 'minutesPresent', 240, 'intervals', 1, 'corrected', false, 'correctionReason', null, 'joinOrder', t + 1,
             'minutesInClass', 240, 'presentPercent', 100, 'late', false, 'minutesLate', 0, 'earlyDeparture', false, 'minutesEarly', 0, 'answered', ${questions}, 'correct', 30,
             'scorePercent', 75, 'result', 'Pass', 'pretestPercent', 50, 'posttestPercent', 75, 'gain', 25, 'evaluationSubmitted', null, 'creditEarned', true, 'hoursAwarded', 4,
             'certificate', 'HT-101-' || to_char(to_timestamp(s.started_at / 1000), 'YYYYMMDD') || '-' || lpad((t + 1)::text, 3, '0'))
    FROM muster.sessions s CROSS JOIN generate_series(0, ${perSession - 1}) t
    CROSS JOIN LATERAL (SELECT 'O' || lpad(((substr(s.id, 2)::int * ${perSession} + t) * 7919 % 6000)::text, 5, '0') AS id) o
    WHERE s.console LIKE 'muster_c_year_%'`);
  // Each session's roster records (certification.ts), built from those results as sessionRoster() would.
  await admin.query(`
    INSERT INTO muster.session_results (console, session_id, room, started_at, course, course_number, ended, trainees, session, roster)
    SELECT s.console, s.id, c.room, s.started_at, s.course, s.course_number, true, ${perSession},
           jsonb_build_object('row', to_jsonb(s) - 'console' - 'src_seq', 'item', jsonb_build_object('id', s.id, 'course', s.course, 'courseTitle', s.course_title, 'courseNumber', s.course_number, 'title', s.title, 'startedAt', s.started_at, 'endedAt', s.ended_at, 'trainees', ${perSession})),
           jsonb_build_object('modules', s.title, 'trainees', ${perSession}, 'credited', ${perSession}, 'records', (
             SELECT jsonb_agg(jsonb_build_object(
               'lastName', t.officer_id, 'firstName', 'Officer', 'fullName', t.name, 'officerId', t.officer_id, 'agency', t.agency, 'email', '',
               'courseNumber', s.course_number, 'courseTitle', s.course_title, 'courseId', s.course, 'modules', s.title,
               'dates', to_char(to_timestamp(s.started_at / 1000), 'YYYY-MM-DD'), 'startDate', to_char(to_timestamp(s.started_at / 1000), 'YYYY-MM-DD'),
               'endDate', to_char(to_timestamp(s.started_at / 1000), 'YYYY-MM-DD'), 'startTime', '08:00', 'endTime', '12:00', 'creditHours', 4, 'courseHours', 4,
               'score', 75, 'result', 'Pass', 'presentPercent', 100, 'creditEarned', 'Yes', 'pretest', 50, 'posttest', 75, 'instructors', s.instructors,
               'instructorNames', s.instructors, 'instructorIds', '', 'location', s.location, 'certificate', t.result->>'certificate',
               'presentingAgency', 'Regional Academy', 'state', 'TX', 'sessionId', s.id) ORDER BY t.officer_id)
             FROM muster.trainee_results t WHERE t.console = s.console AND t.session_id = s.id))
    FROM muster.sessions s JOIN muster.consoles c ON c.login = s.console WHERE s.console LIKE 'muster_c_year_%'`);
  await admin.query(`
    INSERT INTO muster.item_stats (console, session_id, started_at, course, course_number, dim, key, agency, tag, prompt, tags, answered, correct, pretest_answered, pretest_correct)
    SELECT s.console, s.id, s.started_at, s.course, s.course_number, d.dim, d.key, d.agency, d.tag, d.prompt, d.tags, d.answered, d.correct, d.answered / 4, d.answered / 8
    FROM muster.sessions s CROSS JOIN LATERAL (
      SELECT 'tag' AS dim, 'tag-' || g AS key, NULL AS agency, 'tag-' || g AS tag, NULL AS prompt, NULL::text[] AS tags, ${perSession * 5} AS answered, ${perSession * 4} - g AS correct FROM generate_series(0, 7) g
      UNION ALL SELECT 'agency', 'agency ' || a, 'Agency ' || a, NULL, NULL, NULL, ${(perSession / 20) * questions}, ${(perSession / 20) * 30} FROM generate_series(0, 19) a
      UNION ALL SELECT 'agency_tag', 'agency ' || a || chr(31) || 'tag-' || g, 'Agency ' || a, 'tag-' || g, NULL, NULL, ${(perSession / 20) * 5}, ${(perSession / 20) * 4} FROM generate_series(0, 19) a, generate_series(0, 7) g
      UNION ALL SELECT 'question', 'q' || q, NULL, NULL, 'Question ' || q, ARRAY['tag-' || (q % 8)], ${perSession}, ${perSession} * 3 / 4 FROM generate_series(0, ${questions - 1}) q
    ) d WHERE s.console LIKE 'muster_c_year_%'`);
  await admin.query(`
    INSERT INTO muster.agency_people (console, session_id, started_at, course, course_number, agency_key, officer_key)
    SELECT console, session_id, started_at, 'human-trafficking', 'HT-101', lower(agency), officer_key FROM muster.trainee_results WHERE console LIKE 'muster_c_year_%'`);
  await admin.query(
    `SELECT muster.refresh_item_month(m, 'human-trafficking') FROM (SELECT DISTINCT muster.month_of(started_at) AS m FROM muster.sessions WHERE console LIKE 'muster_c_year_%') x`,
  );
  await admin.query(`ANALYZE`);
  const counts = (
    await admin.query(
      `SELECT (SELECT count(*) FROM muster.responses)::bigint AS answers, (SELECT count(*) FROM muster.trainee_results)::int AS trainee_results, (SELECT count(*) FROM muster.item_stats)::int AS item_stats, pg_database_size(current_database()) AS bytes`,
    )
  ).rows[0];
  const generateSeconds = round((now() - t0) / 1000);
  const officer = (
    await admin.query(
      `SELECT officer_id FROM muster.trainee_results WHERE console = 'muster_c_year_3' LIMIT 1 OFFSET 1234`,
    )
  ).rows[0].officer_id as string;
  step('timing the records office queries');
  let rosterRows = 0;
  const month = { from: '2025-06-01', to: '2025-06-30' };
  const year = { from: '2025-01-01', to: '2025-12-31' };
  const roster = await timed(
    async () =>
      (rosterRows = ((await officeRosterSheets(admin, month))[0].rows as unknown[][]).length - 1),
  );
  const rosterFile = await timed(async () => writeXlsx(await officeRosterSheets(admin, month)));
  let historySessions = 0;
  const history = await timed(
    async () => (historySessions = (await officeHistory(admin, officer)).sessions.length),
  );
  let weakAnswers = 0;
  const weak = await timed(
    async () => (weakAnswers = (await officeWeakSpots(admin, year)).answers),
  );
  return {
    rooms,
    sessions,
    answers: Number(counts.answers),
    traineeResults: counts.trainee_results,
    itemStats: counts.item_stats,
    databaseGb: round(Number(counts.bytes) / 2 ** 30),
    generateSeconds,
    monthRoster: { ...roster, rows: rosterRows },
    monthRosterAsXlsxFile: rosterFile,
    officerHistory: { ...history, sessions: historySessions },
    yearWeakSpots: { ...weak, answers: weakAnswers },
    targetMs: 1000,
  };
}
