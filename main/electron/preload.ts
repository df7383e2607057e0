import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL, type DesktopBridge } from '../api/bridge.js';

// The renderer's only door to the main process: a few functions over ipcRenderer,
// never ipcRenderer itself (SPEC §7 hardening).
const OP_NAME = /^[a-zA-Z]+\.[a-zA-Z]+$/;

const bridge: DesktopBridge = {
  invoke: (op, input) => {
    if (!OP_NAME.test(op)) return Promise.resolve({ error: { code: 'not_found', message: `no operation '${op}'`, details: [] } });
    return ipcRenderer.invoke(CHANNEL.op(op), input);
  },
  signIn: (credentials) => ipcRenderer.invoke(CHANNEL.signIn, credentials),
  signOut: () => ipcRenderer.invoke(CHANNEL.signOut),
  hasSession: () => ipcRenderer.invoke(CHANNEL.hasSession),
  saveCsv: (file) => ipcRenderer.invoke(CHANNEL.saveCsv, file),
  saveDocument: (file) => ipcRenderer.invoke(CHANNEL.saveDocument, file),
  onNavigate: (listener) => {
    const relay = (_event: unknown, screen: unknown) => typeof screen === 'string' && listener(screen);
    ipcRenderer.on(CHANNEL.navigate, relay);
    return () => void ipcRenderer.removeListener(CHANNEL.navigate, relay);
  },
};

contextBridge.exposeInMainWorld('milepost', bridge);
