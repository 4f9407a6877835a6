/**
 * The two windows: the instructor's console (with the preload bridge) and the projector view
 * (no bridge), full screen on the external display when one is attached.
 */
import { BrowserWindow, powerSaveBlocker, screen } from 'electron';
import type { Settings } from '../settings';
import { centredBounds, chooseProjectorDisplay } from './policy';
import type { ProjectorPlacement } from './policy';
import { secureWebPreferences } from './security';

export interface WindowOptions {
  consoleUrl: string;
  projectorUrl: string;
  /** The bundled preload (out/main/preload.cjs); only the console gets it. */
  preload: string;
  settings: Settings;
}

const BACKGROUND = '#0f1b33';

/**
 * A page that crashed mid-class comes straight back: the server kept the class going. At most one
 * reload per 10 s, so a page that crashes on load does not spin.
 */
function reloadWhenGone(win: BrowserWindow): void {
  let last = 0;
  win.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || win.isDestroyed() || Date.now() - last < 10_000) return;
    last = Date.now();
    win.webContents.reload();
  });
}

export class Windows {
  private consoleWin: BrowserWindow | null = null;
  private projectorWin: BrowserWindow | null = null;
  /** The display the projector window was last put on. */
  private projectorDisplayId: number | undefined;
  private projectorExternal = false;

  constructor(private readonly o: WindowOptions) {}

  /** The console window, if open: the only window the IPC bridge answers. */
  get console(): BrowserWindow | null {
    return this.consoleWin && !this.consoleWin.isDestroyed() ? this.consoleWin : null;
  }

  private get projector(): BrowserWindow | null {
    return this.projectorWin && !this.projectorWin.isDestroyed() ? this.projectorWin : null;
  }

  openConsole(): BrowserWindow {
    const open = this.console;
    if (open) {
      if (open.isMinimized()) open.restore();
      open.focus();
      return open;
    }
    const area = screen.getPrimaryDisplay().workArea;
    const win = new BrowserWindow({
      ...centredBounds(area, 1280, 820),
      minWidth: 800,
      minHeight: 560,
      title: 'Muster',
      show: false,
      backgroundColor: BACKGROUND,
      webPreferences: secureWebPreferences(this.o.preload),
    });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => (this.consoleWin = null));
    reloadWhenGone(win);
    void win.loadURL(this.o.consoleUrl);
    this.consoleWin = win;
    return win;
  }

  /** True when a display other than the primary one is attached. */
  hasExternalDisplay(): boolean {
    return this.placement()?.external ?? false;
  }

  /** Opens the projector view, or brings it forward and puts it where it belongs. */
  openProjector(): void {
    const place = this.placement();
    if (!place) return;
    const open = this.projector;
    if (open) {
      // A windowed projector stays where the instructor dragged it; otherwise it goes where it belongs.
      if (place.external || this.projectorExternal) this.place(open, place);
      open.focus();
      return;
    }
    const win = new BrowserWindow({
      ...(place.external ? place.display.bounds : centredBounds(place.display.bounds, 1024, 640)),
      title: 'Muster — projector',
      show: false,
      autoHideMenuBar: true,
      backgroundColor: BACKGROUND,
      webPreferences: secureWebPreferences(),
    });
    // A projector that dims or sleeps mid-lecture is the failure instructors notice first.
    const blocker = powerSaveBlocker.start('prevent-display-sleep');
    win.on('closed', () => {
      powerSaveBlocker.stop(blocker);
      this.projectorWin = null;
    });
    reloadWhenGone(win);
    win.once('ready-to-show', () => {
      win.show();
      this.place(win, place);
    });
    void win.loadURL(this.o.projectorUrl);
    this.projectorWin = win;
    this.remember(place);
  }

  /** Follows the projector cable: plugged in → the projector view goes there; unplugged → it moves or closes. */
  followDisplays(): void {
    screen.on('display-added', () => {
      const place = this.placement();
      if (place?.external && !(this.projector && this.projectorExternal)) this.openProjector();
    });
    screen.on('display-removed', (_event, old) => {
      const win = this.projector;
      if (!win || old.id !== this.projectorDisplayId) return;
      const place = this.placement();
      // Full screen on the laptop's own screen would hide the console: close instead.
      if (place?.external) this.place(win, place);
      else win.close();
    });
  }

  private placement(): ProjectorPlacement | null {
    const saved = this.o.settings.get('projectorDisplayId');
    return chooseProjectorDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id, saved);
  }

  private remember(place: ProjectorPlacement): void {
    this.projectorDisplayId = place.display.id;
    this.projectorExternal = place.external;
    if (place.external) this.o.settings.set('projectorDisplayId', place.display.id);
  }

  /** Moves a window to its display: full screen on an external one, a normal window on the primary. */
  private place(win: BrowserWindow, place: ProjectorPlacement): void {
    const apply = () => {
      if (win.isDestroyed()) return;
      win.setBounds(
        place.external ? place.display.bounds : centredBounds(place.display.bounds, 1024, 640),
      );
      if (place.external) win.setFullScreen(true);
    };
    this.remember(place);
    // A full-screen window must leave full screen before it can change display (macOS animates this).
    if (win.isFullScreen() && !(place.external && place.display.id === this.displayOf(win))) {
      win.once('leave-full-screen', apply);
      win.setFullScreen(false);
    } else if (!win.isFullScreen()) {
      apply();
    }
  }

  private displayOf(win: BrowserWindow): number {
    return screen.getDisplayMatching(win.getBounds()).id;
  }
}
