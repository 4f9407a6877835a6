/**
 * Settings behind one small interface. The Electron shell backs it with electron-store
 * (main/electron/settings.ts); browser mode and tests use `conf`, which electron-store wraps.
 */
import Conf from 'conf';
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

/** Settings in `dir`/settings.json, written atomically by conf. */
export function fileSettings(dir: string): Settings {
  const conf = new Conf<SettingsData>({ cwd: dir, configName: 'settings', projectName: 'muster' });
  return {
    get: (key) => settingValue(key, conf.get(key)),
    set: (key, value) => (value === undefined ? conf.delete(key) : conf.set(key, value)),
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
