/**
 * The application menu: short on purpose. Everything a class needs is in the console page.
 */
import { app, dialog, Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openProjector(): void;
}

function exportHint(): void {
  void dialog.showMessageBox({
    type: 'info',
    message: 'Exporting records',
    detail:
      'Choose a session in the console and press Export: Muster asks where to save the workbook ' +
      '(attendance, scores and certifications). Records staff can also run `muster export` in a terminal.',
  });
}

function about(): void {
  void dialog.showMessageBox({
    type: 'info',
    message: `${app.getName()} ${app.getVersion()}`,
    detail:
      'Offline classroom console for instructor-led training: lectures, live polls on ' +
      'trainees’ phones, attendance and records exports.',
  });
}

export function buildMenu(actions: MenuActions): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Export records…', click: exportHint },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    // macOS routes copy and paste in text fields through the Edit menu.
    ...(isMac ? [{ role: 'editMenu' } as const] : []),
    {
      label: 'View',
      submenu: [
        {
          label: 'Open projector',
          accelerator: 'CmdOrCtrl+Shift+P',
          click: () => actions.openProjector(),
        },
        { role: 'togglefullscreen' },
        { role: 'reload' },
      ],
    },
    { role: 'help', submenu: [{ label: `About ${app.getName()}`, click: about }] },
  ];
  return Menu.buildFromTemplate(template);
}
