import type { Session as ElectronSession, WebContents, WebPreferences } from 'electron';

// SPEC §7 Electron hardening, in one place.

export function hardenedPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: true,
  };
}

/** Only the app's own pages, loaded from the built renderer folder, are trusted. */
export function isTrustedUrl(url: string, rendererRoot: string): boolean {
  try {
    const u = new URL(url);
    const root = new URL(rendererRoot.endsWith('/') ? rendererRoot : `${rendererRoot}/`);
    return u.protocol === root.protocol && u.host === root.host && u.pathname.startsWith(root.pathname);
  } catch {
    return false;
  }
}

/** No navigation away, no new windows (web links go to the system browser), no <webview>. */
export function hardenContents(contents: WebContents, rendererRoot: string, openExternal: (url: string) => unknown): void {
  const block = (event: { preventDefault(): void }, url: string) => {
    if (!isTrustedUrl(url, rendererRoot)) event.preventDefault();
  };
  contents.on('will-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void openExternal(url);
    return { action: 'deny' };
  });
}

/** Every permission request is refused but geolocation ("Use my location"). */
export function limitPermissions(session: ElectronSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'geolocation'));
  session.setPermissionCheckHandler((_contents, permission) => permission === 'geolocation');
}
