import { Menu, dialog, shell, type MenuItemConstructorOptions } from 'electron';
import type { EngineHost } from '../engine/host.js';

export function buildMenu(dataDir: string, engine: Pick<EngineHost, 'backupAll'>, isMac = process.platform === 'darwin'): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open data folder', click: () => void shell.openPath(dataDir) },
        {
          label: 'Back up now',
          click: () => {
            engine.backupAll().then(
              (files) => void dialog.showMessageBox({ type: 'info', message: `Backed up ${files.length} tenant database(s).`, detail: files.join('\n') }),
              (err: Error) => dialog.showErrorBox('Backup failed', err.message),
            );
          },
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
