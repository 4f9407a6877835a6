/**
 * What the console page may ask of the desktop around it. One contract, two implementations:
 * the Electron preload (main/electron/preload.ts, native windows and dialogs) and the browser
 * (renderer/platform/browser.ts, new tabs and downloads) — so browser mode is a real product.
 */
export interface ConsoleBridge {
  readonly kind: 'electron' | 'browser';
  /** Opens (or brings forward) the projector view; Electron puts it full screen on the external display. */
  openProjector(projectorUrl: string): Promise<void>;
  /** Saves a file the server offers at `url` (same origin); resolves with where it went, if known. */
  saveFile(url: string, suggestedName: string): Promise<{ saved: boolean; path?: string }>;
}

/** The channel names the preload uses; main/electron checks each call's sender and arguments. */
export const BRIDGE_CHANNELS = {
  openProjector: 'muster:open-projector',
  saveFile: 'muster:save-file',
} as const;
