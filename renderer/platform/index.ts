import type { ConsoleBridge } from '../../shared/bridge';
import { browserBridge } from './browser';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    musterBridge?: ConsoleBridge;
  }
}

export const bridge: ConsoleBridge = window.musterBridge ?? browserBridge;
