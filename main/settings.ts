/**
 * Settings behind one small interface. The Electron shell backs it with electron-store
 * (main/electron/settings.ts); browser mode and tests use `conf`, which electron-store wraps.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Conf from 'conf';
import { z } from 'zod';
import { Department } from './records/department';
import { ProjectorTheme } from '../shared/vocabulary';
import { ExportProfiles } from '../shared/export-profiles';
import type { ExportProfile } from '../shared/export-profiles';

export interface SettingsData {
  /** The network address trainees use, chosen in the console when the laptop has several. */
  joinHost?: string;
  /** The LAN port trainees connect to; 0 picks a free one. */
  lanPort?: number;
  /** The display the projector window goes full screen on (Electron). */
  projectorDisplayId?: number;
  /** The projector's colours: dark (default), light, or high contrast. */
  projectorTheme?: ProjectorTheme;
  /** The optional profanity filter on the Q&A board and word clouds (off unless the instructor turns it on). */
  profanityFilter?: boolean;
  /** The department profile the records exports apply: agency, officer ID label, pass mark, credit rule. */
  department?: Department;
  /** The certification roster's layouts, as records staff edited them (unset: the shipped ones). */
  exportProfiles?: ExportProfile[];
}

const settingSchemas: { [K in keyof SettingsData]-?: z.ZodType<NonNullable<SettingsData[K]>> } = {
  joinHost: z.string().min(1).max(255),
  lanPort: z.number().int().min(0).max(65535),
  projectorDisplayId: z.number(),
  projectorTheme: ProjectorTheme,
  profanityFilter: z.boolean(),
  department: Department,
  exportProfiles: ExportProfiles,
};

/**
 * A stored setting read back through its schema: a hand-edited or stale settings file yields
 * `undefined` (the default) instead of a value that breaks start-up.
 */
export function settingValue<K extends keyof SettingsData>(key: K, raw: unknown): SettingsData[K] {
  const parsed = settingSchemas[key].safeParse(raw);
  return parsed.success ? (parsed.data as SettingsData[K]) : undefined;
}

export interface Settings {
  get<K extends keyof SettingsData>(key: K): SettingsData[K];
  set<K extends keyof SettingsData>(key: K, value: SettingsData[K]): void;
}

/**
 * Settings in `dir`/settings.json, written atomically by conf. Reading needs no library: the file
 * is plain JSON, read once. conf (with its schema validator, ~7 MB in memory) is loaded at the first
 * change — a class may run all day without one.
 */
export function fileSettings(dir: string): Settings {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      data = parsed as Record<string, unknown>;
  } catch {
    // No file yet, or one conf could not have written: the defaults, as conf would give.
  }
  let conf: Conf<SettingsData> | null = null;
  const store = () => {
    if (!conf) {
      // The Electron bundle is CommonJS (import.meta is empty there); the CLI bundle and tests are ES modules.
      const req = createRequire((import.meta.url as string | undefined) ?? __filename);
      const C = (req('conf') as { default: typeof Conf }).default;
      conf = new C<SettingsData>({ cwd: dir, configName: 'settings', projectName: 'muster' });
    }
    return conf;
  };
  return {
    get: (key) => settingValue(key, data[key]),
    set: (key, value) => {
      // Written (atomically, by conf) before memory changes: a failed write throws and changes nothing.
      if (value === undefined) store().delete(key);
      else store().set(key, value);
      if (value === undefined) delete data[key];
      else data[key] = value;
    },
  };
}

/** In-memory settings, for tests. */
export function memorySettings(initial: SettingsData = {}): Settings {
  const data: SettingsData = { ...initial };
  return {
    get: (key) => data[key],
    set: (key, value) => {
      data[key] = value;
    },
  };
}
