import { describe, expect, it } from 'vitest';
import {
  centredBounds,
  checkOpenProjectorArgs,
  checkSaveFileArgs,
  chooseProjectorDisplay,
  isAppUrl,
  isConsolePage,
  isSafeExternalUrl,
  isTrustedSender,
  safeFileName,
  saveDialogFilters,
  settingValue,
} from '../../main/electron/policy';
import type { DisplayInfo } from '../../main/electron/policy';

const ORIGIN = 'http://127.0.0.1:4123';
const SESSION = '0f8b2c7e-9a1d-4e5f-8b6c-1234567890ab';

describe('isAppUrl: windows stay on the app’s own loopback origin', () => {
  it('accepts the console, the projector and their redirects on the same origin', () => {
    expect(isAppUrl(`${ORIGIN}/console/?token=abc`, ORIGIN)).toBe(true);
    expect(isAppUrl(`${ORIGIN}/projector/?token=abc`, ORIGIN)).toBe(true);
    expect(isAppUrl(`${ORIGIN}/console`, ORIGIN)).toBe(true);
  });

  it.each([
    ['another port', 'http://127.0.0.1:4124/console/'],
    ['localhost instead of 127.0.0.1', 'http://localhost:4123/console/'],
    ['https on the same host', 'https://127.0.0.1:4123/console/'],
    ['a web site', 'https://example.com/'],
    ['a host hidden behind credentials', 'http://127.0.0.1:4123@evil.example/'],
    ['credentials on our origin', 'http://user:pw@127.0.0.1:4123/console/'],
    ['a file URL', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<h1>hi</h1>'],
    ['not a URL', 'console/'],
    ['an empty string', ''],
  ])('refuses %s', (_label, url) => {
    expect(isAppUrl(url, ORIGIN)).toBe(false);
  });

  it('refuses everything when the app origin itself is not an http origin', () => {
    expect(isAppUrl('file:///x', 'file:///')).toBe(false);
    expect(isAppUrl(`${ORIGIN}/console/`, 'not a url')).toBe(false);
  });

  it('recognises the console page by its path', () => {
    expect(isConsolePage(`${ORIGIN}/console/?token=t`, ORIGIN)).toBe(true);
    expect(isConsolePage(`${ORIGIN}/projector/?token=t`, ORIGIN)).toBe(false);
    expect(isConsolePage('http://127.0.0.1:9/console/', ORIGIN)).toBe(false);
  });
});

describe('isSafeExternalUrl: only https links reach the system browser', () => {
  it('allows an ordinary https link', () => {
    expect(isSafeExternalUrl('https://polarisproject.org/resources')).toBe(true);
  });

  it.each([
    'http://example.com/',
    'file:///C:/Windows/System32/calc.exe',
    'smb://server/share',
    'javascript:alert(1)',
    'mailto:someone@example.com',
    'ms-msdt:/id PCWDiagnostic',
    'https://user:pass@example.com/',
    'https://',
    'example.com',
    '',
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });
});

describe('isTrustedSender: the bridge answers only the console page', () => {
  const console_ = {
    fromConsoleWindow: true,
    isMainFrame: true,
    frameUrl: `${ORIGIN}/console/?token=t`,
  };

  it('accepts the console page in the console window’s top frame', () => {
    expect(isTrustedSender(console_, ORIGIN)).toBe(true);
  });

  it('refuses another window, a subframe, a vanished frame, another page or origin', () => {
    expect(isTrustedSender({ ...console_, fromConsoleWindow: false }, ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...console_, isMainFrame: false }, ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...console_, frameUrl: undefined }, ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...console_, frameUrl: `${ORIGIN}/projector/?token=t` }, ORIGIN)).toBe(
      false,
    );
    expect(isTrustedSender({ ...console_, frameUrl: 'https://example.com/console/' }, ORIGIN)).toBe(
      false,
    );
  });
});

describe('openProjector arguments', () => {
  it('accepts the projector page, relative (as the console sends it) or absolute', () => {
    expect(checkOpenProjectorArgs(['/projector/?token=abc'], ORIGIN).ok).toBe(true);
    expect(checkOpenProjectorArgs([`${ORIGIN}/projector/?token=abc`], ORIGIN).ok).toBe(true);
  });

  it.each([
    ['no argument', []],
    ['two arguments', ['/projector/', '/projector/']],
    ['a number', [42]],
    ['an object', [{ url: '/projector/' }]],
    ['another page', ['/console/']],
    ['another origin', ['https://example.com/projector/']],
    ['a scheme-relative URL', ['//example.com/projector/']],
    ['a path escaping to another page', ['/projector/../console/']],
    ['a very long URL', [`/projector/?x=${'a'.repeat(3000)}`]],
  ])('refuses %s', (_label, args) => {
    const r = checkOpenProjectorArgs(args as unknown[], ORIGIN);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/openProjector/);
  });
});

describe('saveFile arguments', () => {
  it('accepts the console’s export link and moves the token out of the URL', () => {
    const r = checkSaveFileArgs(
      [`/api/sessions/${SESSION}/export.xlsx?token=secret`, 'muster-0f8b2c7e.xlsx'],
      ORIGIN,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        url: `${ORIGIN}/api/sessions/${SESSION}/export.xlsx`,
        suggestedName: 'muster-0f8b2c7e.xlsx',
      },
    });
  });

  it('keeps other query parameters and accepts an absolute same-origin URL', () => {
    const r = checkSaveFileArgs(
      [`${ORIGIN}/api/export?kind=roster&token=s#frag`, 'roster.csv'],
      ORIGIN,
    );
    expect(r.ok && r.value.url).toBe(`${ORIGIN}/api/export?kind=roster`);
  });

  it('makes the suggested name safe: no folders, reserved characters or hidden files', () => {
    const name = (n: string) => {
      const r = checkSaveFileArgs(['/api/x', n], ORIGIN);
      return r.ok ? r.value.suggestedName : null;
    };
    expect(name('../../.bashrc')).toBe('_.._.bashrc');
    expect(name('C:\\Windows\\evil.xlsx')).toBe('C__Windows_evil.xlsx');
    expect(name('a<b>:"c"|?*.xlsx')).toBe('a_b___c____.xlsx');
    expect(name('line\nbreak\u0000.csv')).toBe('line_break_.csv');
    expect(name('...')).toBe('muster-export');
    expect(name('')).toBe('muster-export');
  });

  it.each([
    ['one argument', ['/api/x']],
    ['a non-string name', ['/api/x', 7]],
    ['a name over 255 characters', ['/api/x', 'a'.repeat(256)]],
    ['a page instead of the API', ['/console/?token=t', 'x.html']],
    ['a path that leaves /api/ through ..', ['/api/../console/', 'x']],
    ['a path that leaves /api/ through %2e%2e', ['/api/%2e%2e/console/', 'x']],
    ['a prefix look-alike', ['/apix/y', 'x']],
    ['another origin', ['http://127.0.0.1:1/api/x', 'x']],
    ['a web URL', ['https://example.com/api/x', 'x']],
    ['a file URL', ['file:///etc/passwd', 'x']],
    ['a scheme-relative URL', ['//example.com/api/x', 'x']],
  ])('refuses %s', (_label, args) => {
    expect(checkSaveFileArgs(args as unknown[], ORIGIN).ok).toBe(false);
  });

  it('caps the length of a suggested name', () => {
    expect(safeFileName('a'.repeat(200))).toHaveLength(120);
  });

  it('offers a filter matching the file type, and always “All files”', () => {
    expect(saveDialogFilters('muster-1.xlsx')).toEqual([
      { name: 'Excel workbook', extensions: ['xlsx'] },
      { name: 'All files', extensions: ['*'] },
    ]);
    expect(saveDialogFilters('ROSTER.CSV')[0]).toEqual({ name: 'CSV file', extensions: ['csv'] });
    expect(saveDialogFilters('notes')).toEqual([{ name: 'All files', extensions: ['*'] }]);
  });
});

describe('chooseProjectorDisplay: the projector goes on the external display', () => {
  const laptop: DisplayInfo = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
  const projector: DisplayInfo = { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 720 } };
  const monitor: DisplayInfo = { id: 3, bounds: { x: -2560, y: 0, width: 2560, height: 1440 } };

  it('picks the one external display', () => {
    expect(chooseProjectorDisplay([laptop, projector], 1, undefined)).toEqual({
      display: projector,
      external: true,
    });
  });

  it('prefers the saved display when it is attached and external', () => {
    expect(chooseProjectorDisplay([laptop, projector, monitor], 1, 3)).toEqual({
      display: monitor,
      external: true,
    });
  });

  it('falls back to the first external display when the saved one is gone', () => {
    expect(chooseProjectorDisplay([laptop, projector], 1, 99)).toEqual({
      display: projector,
      external: true,
    });
  });

  it('never treats the primary display as the projector, even if it was saved', () => {
    expect(chooseProjectorDisplay([laptop, projector], 1, 1)).toEqual({
      display: projector,
      external: true,
    });
  });

  it('uses the primary display, not full screen, when it is the only one', () => {
    expect(chooseProjectorDisplay([laptop], 1, 2)).toEqual({ display: laptop, external: false });
  });

  it('follows the primary flag rather than list order', () => {
    expect(chooseProjectorDisplay([projector, laptop], 1, undefined)?.display).toBe(projector);
    expect(chooseProjectorDisplay([projector, laptop], 2, undefined)?.display).toBe(laptop);
  });

  it('returns null with no displays at all', () => {
    expect(chooseProjectorDisplay([], 1, undefined)).toBeNull();
  });

  it('centres a windowed projector inside the display', () => {
    expect(centredBounds(laptop.bounds, 1024, 640)).toEqual({
      x: 448,
      y: 220,
      width: 1024,
      height: 640,
    });
    expect(centredBounds(projector.bounds, 1600, 900)).toEqual(projector.bounds);
  });
});

describe('settingValue: a bad settings file cannot break start-up', () => {
  it('passes valid values through', () => {
    expect(settingValue('lanPort', 8080)).toBe(8080);
    expect(settingValue('joinHost', '192.168.1.20')).toBe('192.168.1.20');
    expect(settingValue('projectorDisplayId', 2779098405)).toBe(2779098405);
  });

  it('reads wrong types and ranges as unset', () => {
    expect(settingValue('lanPort', '8080')).toBeUndefined();
    expect(settingValue('lanPort', 70000)).toBeUndefined();
    expect(settingValue('lanPort', 80.5)).toBeUndefined();
    expect(settingValue('joinHost', '')).toBeUndefined();
    expect(settingValue('joinHost', { host: 'x' })).toBeUndefined();
    expect(settingValue('projectorDisplayId', null)).toBeUndefined();
    expect(settingValue('projectorDisplayId', undefined)).toBeUndefined();
  });
});
