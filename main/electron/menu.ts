import { Menu, dialog, shell, type MenuItemConstructorOptions } from 'electron';
import type { TenantManager } from '../tenants.js';
import { backupAllNow } from './backups.js';

export function buildMenu(manager: TenantManager, isMac = process.platform === 'darwin'): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open data folder', click: () => void shell.openPath(manager.dataDir) },
        {
          label: 'Back up now',
          click: () => {
            try {
              const files = backupAllNow(manager);
              void dialog.showMessageBox({ type: 'info', message: `Backed up ${files.length} tenant database(s).`, detail: files.join('\n') });
            } catch (err) {
              dialog.showErrorBox('Backup failed', (err as Error).message);
            }
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
