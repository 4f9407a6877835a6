/**
 * The join address and its QR code (main/server/join-link.ts): the URL the room is told, the
 * instructor's choice of address, and a QR code drawn once per URL with the real encoder.
 */
import { describe, expect, it } from 'vitest';
import { JoinLink } from '../../main/server/join-link';

function link(o: { host?: string; room?: string | null } = {}) {
  let room = o.room ?? null;
  const saved: string[] = [];
  const logged: unknown[] = [];
  let drawn = 0;
  const l = new JoinLink({
    joinHost: o.host ?? '192.168.1.20',
    hosts: () => ['192.168.1.20', '10.0.0.5', 'fe80::1'],
    lanPort: () => 8080,
    roomCode: () => room,
    onJoinHost: (h) => saved.push(h),
    drawn: () => drawn++,
    log: (m, e) => logged.push([m, e]),
  });
  return { l, saved, logged, drawn: () => drawn, setRoom: (r: string | null) => (room = r) };
}

describe('the join link', () => {
  it('tells the room the address, the port and the running session’s code', () => {
    const t = link();
    expect(t.l.url()).toBe('http://192.168.1.20:8080/join/');
    t.setRoom('482913');
    expect(t.l.url()).toBe('http://192.168.1.20:8080/join/?room=482913');
    expect(link({ host: 'fe80::1' }).l.url()).toBe('http://[fe80::1]:8080/join/');
  });

  it('takes only an address of this computer, and saves the one it takes', () => {
    const t = link();
    expect(t.l.setHost('203.0.113.9')).toBe('203.0.113.9 is not an address of this computer');
    expect([t.l.host, t.saved]).toEqual(['192.168.1.20', []]);
    expect(t.l.setHost('10.0.0.5')).toBeNull();
    expect([t.l.host, t.saved, t.l.url()]).toEqual([
      '10.0.0.5',
      ['10.0.0.5'],
      'http://10.0.0.5:8080/join/',
    ]);
  });

  it('draws the QR code once per URL, and again when the URL changes', async () => {
    const t = link({ room: '482913' });
    // Not drawn yet: the view goes out without it, and is marked again once it is.
    expect(t.l.info('482913', true)).toEqual({
      url: 'http://192.168.1.20:8080/join/?room=482913',
      host: '192.168.1.20',
      roomCode: '482913',
      qr: '',
      show: true,
    });
    await t.l.refreshQr();
    const first = t.l.info('482913', false);
    expect(first.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(first.qr.split(',')[1], 'base64').toString('utf8')).toMatch(
      /^<svg[^>]*>[\s\S]*<\/svg>\s*$/,
    );
    expect(first.show).toBe(false);
    const drawnOnce = t.drawn();
    expect(drawnOnce).toBeGreaterThanOrEqual(1);
    await t.l.refreshQr();
    expect(t.drawn()).toBe(drawnOnce);
    t.setRoom('100200');
    expect(t.l.info('100200', true).qr).toBe('');
    await t.l.refreshQr();
    const second = t.l.info('100200', true);
    expect(second.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(second.qr).not.toBe(first.qr);
    expect(t.logged).toEqual([]);
  });
});
