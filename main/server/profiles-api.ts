/**
 * The department's export profiles (settings key `exportProfiles`), on the loopback listener
 * (token checked by http.ts):
 *
 *   GET /api/export-profiles   → ExportProfilesReply (records-api.ts answers it)
 *   PUT /api/export-profiles   JSON { profiles: ExportProfile[] } → ExportProfilesReply
 *                              JSON { profiles: null }            → back to the shipped profiles
 *
 * The whole list is replaced; it is parsed first, so a bad profile gets a 400 that says what is
 * wrong and settings stay as they were. Exports read the profiles on every request.
 */
import type http from 'node:http';
import { z } from 'zod';
import { ExportProfiles } from '../../shared/export-profiles';
import type { ExportProfile } from '../../shared/export-profiles';
import { describeZodError } from '../../shared/protocol';
import { readJsonBody, replyJson } from './attendance-api';
import { profilesReply } from './records-api';
import { errorMessage } from '../../shared/errors';

export interface ProfilesAccess {
  get: () => ExportProfile[] | undefined;
  set: (p: ExportProfile[] | undefined) => void;
}

/** 20 profiles of 40 columns fit in far less. */
const BODY_LIMIT = 256 * 1024;

const Body = z.object({ profiles: ExportProfiles.nullable() }).strict();

export async function handleProfilesPut(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  access: ProfilesAccess,
): Promise<void> {
  const body = await readJsonBody(req, res, BODY_LIMIT);
  if (!body) return;
  const parsed = Body.safeParse(body.value);
  if (!parsed.success)
    return replyJson(res, 400, {
      ok: false,
      message: `${describeZodError(parsed.error)}. Nothing was saved.`,
    });
  try {
    access.set(parsed.data.profiles ?? undefined);
  } catch (e) {
    return replyJson(res, 500, {
      ok: false,
      message: `The settings could not be written: ${errorMessage(e)}`,
    });
  }
  replyJson(res, 200, profilesReply(access.get()));
}
