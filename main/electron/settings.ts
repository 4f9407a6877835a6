/**
 * The `Settings` of main/settings.ts backed by electron-store (settings.json in userData).
 */
import type { Settings, SettingsData } from '../settings';
import { settingValue } from './policy';

/**
 * electron-store 11 is an ES module only. This file is bundled to CommonJS, where a static import
 * would become `require()` and lose the default export; a dynamic `import()` (kept as is by
 * esbuild for Node targets) loads it as the ES module it is.
 */
export async function storeSettings(): Promise<Settings> {
  const { default: Store } = await import('electron-store');
  // A corrupt file (not JSON) is reset rather than stopping the app; values are checked on read.
  const store = new Store<SettingsData>({ name: 'settings', clearInvalidConfig: true });
  return {
    get: (key) => settingValue(key, store.get(key)),
    set: (key, value) => (value === undefined ? store.delete(key) : store.set(key, value)),
  };
}
