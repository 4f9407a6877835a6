/**
 * Settings behind one small interface. The Electron shell backs it with electron-store
 * (main/electron/settings.ts); browser mode and tests use `conf`, which electron-store wraps.
 */
import Conf from 'conf';

export interface SettingsData {
  /** The network address trainees use, chosen in the console when the laptop has several. */
  joinHost?: string;
  /** The LAN port trainees connect to; 0 picks a free one. */
  lanPort?: number;
  /** The display the projector window goes full screen on (Electron). */
  projectorDisplayId?: number;
}

export interface Settings {
  get<K extends keyof SettingsData>(key: K): SettingsData[K];
  set<K extends keyof SettingsData>(key: K, value: SettingsData[K]): void;
}

/** Settings in `dir`/settings.json, written atomically by conf. */
export function fileSettings(dir: string): Settings {
  const conf = new Conf<SettingsData>({ cwd: dir, configName: 'settings', projectName: 'muster' });
  return {
    get: (key) => conf.get(key),
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
