/**
 * The console window's preload: exposes `window.musterBridge` (shared/bridge.ts). It runs
 * sandboxed, so it imports only `electron` (and the channel names, bundled in); each method
 * forwards exactly its declared arguments and main (ipc.ts) checks them again.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_CHANNELS } from '../../shared/bridge';
import type { ConsoleBridge } from '../../shared/bridge';

const musterBridge = {
  kind: 'electron',
  openProjector: (projectorUrl: string): Promise<void> =>
    ipcRenderer.invoke(BRIDGE_CHANNELS.openProjector, projectorUrl),
  saveFile: (url: string, suggestedName: string): Promise<{ saved: boolean; path?: string }> =>
    ipcRenderer.invoke(BRIDGE_CHANNELS.saveFile, url, suggestedName),
} satisfies ConsoleBridge;

contextBridge.exposeInMainWorld('musterBridge', musterBridge);
