import path from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, Notification, safeStorage, session as electronSession, utilityProcess } from 'electron';
import { CHANNEL } from '../api/bridge.js';
import { Sessions } from '../api/session.js';
import { KeychainSecrets } from './secrets.js';
import { saveCsvWithDialog, saveDocumentWithDialog } from './dialogs.js';
import { desktopEngine } from './engineProcess.js';
import { registerIpc } from './ipc.js';
import { buildMenu } from './menu.js';
import { appPaths } from './paths.js';
import { isTrustedUrl, limitPermissions } from './security.js';
import { createMainWindow } from './window.js';

// The desktop app's main process: the window, menus, dialogs and the signed-in
// session. The tenant databases live with the engine, in a utility process of its own
// (main/electron/engineProcess.ts), which closes every database (WAL checkpointed) on quit.

export function startDesktop() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const paths = appPaths(app);
  process.env.MILEPOST_MIGRATIONS_DIR = paths.migrations;
  process.env.MILEPOST_FONTS_DIR = paths.fonts;
  let window: BrowserWindow | null = null;

  const open = () => {
    window = createMainWindow({ ...paths, stateFile: path.join(paths.dataDir, 'window-state.json') });
    window.on('closed', () => (window = null));
  };
  const openToday = () => {
    if (!window) open();
    if (window?.isMinimized()) window.restore();
    window?.focus();
    window?.webContents.send(CHANNEL.navigate, 'today');
  };

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (e) => e.preventDefault()));

  void app.whenReady().then(() => {
    limitPermissions(electronSession.defaultSession);
    const engine = desktopEngine({
      fork: utilityProcess.fork.bind(utilityProcess),
      script: paths.engine,
      dataDir: paths.dataDir,
      migrations: paths.migrations,
      // The sync login's password with the OS keychain.
      secrets: new KeychainSecrets(safeStorage, path.join(paths.dataDir, 'secrets')),
      // Follow-up reminders as desktop notifications; a click opens the Today view.
      notify: (note) => {
        const n = new Notification(note);
        n.on('click', openToday);
        n.show();
      },
    }).host;
    // Quitting waits for the engine to close its databases.
    let closed = false;
    app.on('before-quit', (event) => {
      if (closed) return;
      event.preventDefault();
      void engine.close().finally(() => {
        closed = true;
        app.quit();
      });
    });
    registerIpc(ipcMain, {
      engine,
      sessions: new Sessions(engine, paths.dataDir),
      isTrusted: (url) => isTrustedUrl(url, paths.rendererRoot),
      saveCsv: saveCsvWithDialog,
      saveDocument: saveDocumentWithDialog,
    });
    Menu.setApplicationMenu(buildMenu(paths.dataDir, engine));
    open();
    app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

startDesktop();
