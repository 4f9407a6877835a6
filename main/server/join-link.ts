/**
 * The address phones join at, and its QR code on the projector: which of this computer's
 * addresses the room is told (the instructor picks it; it is saved), with the running session's
 * room code in it. The QR code is drawn once per address and kept: the URL changes only when the
 * address or the session does, while the views that carry it go out many times a second.
 */
import type { JoinInfo } from '../../shared/protocol';

export interface JoinLinkOptions {
  /** The address to start with (from settings, or the first one found). */
  joinHost: string;
  /** This computer's addresses on the room's network. */
  hosts: () => string[];
  lanPort: () => number;
  /** The running session's room code (null when none runs). */
  roomCode: () => string | null;
  /** The address was changed by the instructor: save it. */
  onJoinHost?: (host: string) => void;
  /** A QR code was drawn: the views that show it are out of date. */
  drawn: () => void;
  log: (message: string, error?: unknown) => void;
}

export class JoinLink {
  host: string;
  private qr = { url: '', svg: '' };

  constructor(private readonly o: JoinLinkOptions) {
    this.host = o.joinHost;
  }

  url(): string {
    const room = this.o.roomCode();
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.o.lanPort()}/join/${room ? `?room=${room}` : ''}`;
  }

  /** Null when done, or why the address cannot be used. */
  setHost(host: string): string | null {
    if (!this.o.hosts().includes(host)) return `${host} is not an address of this computer`;
    this.host = host;
    this.o.onJoinHost?.(host);
    return null;
  }

  /** Renders the QR code for the join URL; cached, since the URL changes rarely. */
  async refreshQr(): Promise<void> {
    const url = this.url();
    if (this.qr.url === url) return;
    // Loaded when first needed (a class's join code), not with the server.
    const { default: QRCode } = await import('qrcode');
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    this.qr = { url, svg: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
    this.o.drawn();
  }

  /** What the views show of it; a QR code not drawn yet for this URL is drawn now and sent when ready. */
  info(roomCode: string, show: boolean): JoinInfo {
    const url = this.url();
    if (this.qr.url !== url)
      this.refreshQr().catch((e) => this.o.log('the QR code could not be drawn', e));
    return { url, host: this.host, roomCode, qr: this.qr.url === url ? this.qr.svg : '', show };
  }
}
