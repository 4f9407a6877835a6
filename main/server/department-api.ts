/**
 * The department profile (settings key `department`), on the loopback listener (token checked by http.ts):
 *
 *   GET /api/department   → DepartmentReply: what settings hold and the profile with defaults filled in
 *   PUT /api/department   JSON Department (the whole profile) → DepartmentReply
 *
 * A PUT replaces the profile; it is parsed with the strict form of the Department schema first, so
 * an invalid or misspelt field gets a 400 that says which, and settings are left as they were.
 * Exports read the profile on every request, so the next one applies it.
 */
import type http from 'node:http';
import { DepartmentInput, departmentProfile } from '../records/department';
import type { Department } from '../records/department';
import type { DepartmentReply } from '../../shared/records';
import { describeZodError } from '../../shared/protocol';
import { readJsonBody, replyJson } from './attendance-api';
import { errorMessage } from '../../shared/errors';

export interface DepartmentAccess {
  get: () => Department | undefined;
  set: (d: Department) => void;
}

/** The profile with a register of 100 instructors fits. */
const BODY_LIMIT = 32 * 1024;

const reply = (d: Department | undefined): DepartmentReply => ({
  department: d ?? {},
  profile: departmentProfile(d),
});

export function handleDepartmentGet(
  res: http.ServerResponse,
  access: Pick<DepartmentAccess, 'get'>,
): void {
  replyJson(res, 200, reply(access.get()));
}

export async function handleDepartmentPut(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  access: DepartmentAccess,
): Promise<void> {
  const body = await readJsonBody(req, res, BODY_LIMIT);
  if (!body) return;
  const parsed = DepartmentInput.safeParse(body.value);
  if (!parsed.success)
    return replyJson(res, 400, {
      ok: false,
      message: `${describeZodError(parsed.error)}. Nothing was saved.`,
    });
  try {
    access.set(parsed.data);
  } catch (e) {
    return replyJson(res, 500, {
      ok: false,
      message: `The settings could not be written: ${errorMessage(e)}`,
    });
  }
  replyJson(res, 200, reply(access.get()));
}
