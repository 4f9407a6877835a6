/**
 * The main-process side of the console bridge (shared/bridge.ts). Every handler first checks who
 * is calling (the console page in the console window, on our origin), then parses its arguments
 * (policy.ts); a call that fails either check is refused and changes nothing.
 */
import path from 'node:path';
import { app, dialog, ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { BRIDGE_CHANNELS } from '../../shared/bridge';
import type { ConsoleBridge } from '../../shared/bridge';
import { downloadToFile } from './download';
import {
  checkOpenProjectorArgs,
  checkSaveFileArgs,
  isTrustedSender,
  saveDialogFilters,
} from './policy';
import type { Checked } from './policy';
import { errorMessage } from '../../shared/errors';

export interface IpcContext {
  consoleOrigin: string;
  /** The instructor token, sent as a header when downloading from the local server. */
  token: string;
  consoleWindow(): BrowserWindow | null;
  openProjector(): void;
}

type SaveResult = Awaited<ReturnType<ConsoleBridge['saveFile']>>;

function trustedWindow(ctx: IpcContext, event: IpcMainInvokeEvent): BrowserWindow {
  const win = ctx.consoleWindow();
  const frame = event.senderFrame;
  const sender = {
    fromConsoleWindow: !!win && event.sender.id === win.webContents.id,
    isMainFrame: !!frame && frame.parent === null,
    frameUrl: frame?.url,
  };
  const trusted = isTrustedSender(sender, ctx.consoleOrigin);
  if (!win || !trusted) throw new Error('this page may not use the Muster bridge');
  return win;
}

function valueOf<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new Error(checked.error);
  return checked.value;
}

export function registerIpc(ctx: IpcContext): void {
  ipcMain.handle(BRIDGE_CHANNELS.openProjector, (event, ...args: unknown[]): void => {
    trustedWindow(ctx, event);
    valueOf(checkOpenProjectorArgs(args, ctx.consoleOrigin));
    // The window loads the projector URL main built, not the one the page sent.
    ctx.openProjector();
  });

  ipcMain.handle(
    BRIDGE_CHANNELS.saveFile,
    async (event, ...args: unknown[]): Promise<SaveResult> => {
      const win = trustedWindow(ctx, event);
      const req = valueOf(checkSaveFileArgs(args, ctx.consoleOrigin));
      const choice = await dialog.showSaveDialog(win, {
        title: 'Save export',
        defaultPath: path.join(app.getPath('downloads'), req.suggestedName),
        filters: saveDialogFilters(req.suggestedName),
      });
      if (choice.canceled || !choice.filePath) return { saved: false };
      try {
        await downloadToFile(req.url, ctx.token, choice.filePath);
      } catch (e) {
        // The console page fires and forgets, so the instructor hears about a failure here.
        await dialog.showMessageBox(win, {
          type: 'error',
          message: 'The export was not saved',
          detail: errorMessage(e),
        });
        return { saved: false };
      }
      return { saved: true, path: choice.filePath };
    },
  );
}
