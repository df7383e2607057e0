import path from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, Notification, safeStorage, session as electronSession } from 'electron';
import { CHANNEL } from '../api/bridge.js';
import { Sessions } from '../api/session.js';
import { TenantManager } from '../tenants.js';
import { SyncRuntime } from '../sync/runtime.js';
import { KeychainSecrets } from './secrets.js';
import { backupIfDue } from './backups.js';
import { saveCsvWithDialog, saveDocumentWithDialog } from './dialogs.js';
import { registerIpc } from './ipc.js';
import { buildMenu } from './menu.js';
import { Reminders } from './reminders.js';
import { appPaths } from './paths.js';
import { isTrustedUrl, limitPermissions } from './security.js';
import { createMainWindow } from './window.js';

// The desktop app's main process: owns the tenant databases, serves the renderer
// over typed IPC, and closes every database (WAL checkpointed) on quit.

export function startDesktop() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const paths = appPaths(app);
  process.env.MILEPOST_MIGRATIONS_DIR = paths.migrations;
  process.env.MILEPOST_FONTS_DIR = paths.fonts;
  const manager = new TenantManager(paths.dataDir, paths.migrations);
  let window: BrowserWindow | null = null;

  const open = () => {
    window = createMainWindow({ ...paths, stateFile: path.join(paths.dataDir, 'window-state.json') });
    window.on('closed', () => (window = null));
  };

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (e) => e.preventDefault()));

  void app.whenReady().then(() => {
    limitPermissions(electronSession.defaultSession);
    // Sync in the background for the signed-in tenant; its password with the OS keychain.
    const sync = new SyncRuntime(manager, new KeychainSecrets(safeStorage, path.join(paths.dataDir, 'secrets')));
    app.on('before-quit', () => sync.stop());
    // Follow-up reminders as desktop notifications; a click opens the Today view.
    const reminders = new Reminders((o) => new Notification(o), () => {
      if (!window) open();
      if (window?.isMinimized()) window.restore();
      window?.focus();
      window?.webContents.send(CHANNEL.navigate, 'today');
    });
    app.on('before-quit', () => reminders.stop());
    registerIpc(ipcMain, {
      sessions: new Sessions(manager, undefined, sync),
      isTrusted: (url) => isTrustedUrl(url, paths.rendererRoot),
      saveCsv: saveCsvWithDialog,
      saveDocument: saveDocumentWithDialog,
      onSignedIn: (s) => {
        try {
          backupIfDue(manager, s.tenantId);
        } catch (err) {
          console.error('daily backup failed', err);
        }
        sync.schedule(s.tenantId);
        reminders.start(s);
      },
      onSignedOut: () => reminders.stop(),
    });
    Menu.setApplicationMenu(buildMenu(manager));
    open();
    app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => manager.closeAll());
  return { manager };
}

startDesktop();
