import type { ConsoleBridge } from '../../shared/bridge';

/** Browser mode: the projector is a tab the instructor drags to the projector; files download. */
export const browserBridge: ConsoleBridge = {
  kind: 'browser',
  async openProjector(projectorUrl) {
    window.open(projectorUrl, 'muster-projector');
  },
  async saveFile(url, suggestedName) {
    const a = document.createElement('a');
    a.href = url;
    a.download = suggestedName;
    document.body.append(a);
    a.click();
    a.remove();
    return { saved: true };
  },
};
