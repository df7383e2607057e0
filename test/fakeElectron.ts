import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';

// A stand-in for the `electron` module: records what the shell asks of it. It runs
// nothing of Electron's; the tests that use it test the shell's wiring only.

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export function makeFakeElectron() {
  const created: { options: Record<string, any>; loaded?: string; contents: FakeWebContents }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const handleCalls: string[] = [];
  const exposed: { key: string; api: Record<string, unknown> }[] = [];
  const opened: string[] = [];
  const invoked: { channel: string; args: unknown[] }[] = [];
  const forked: string[] = [];
  const appEvents = new EventEmitter();
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const permission = { request: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void), check: null as null | ((c: unknown, p: string) => boolean) };

  class BrowserWindow extends EventEmitter {
    static windows: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.windows;
    static fromWebContents = () => null;
    webContents = new FakeWebContents();
    constructor(readonly options: Record<string, unknown>) {
      super();
      BrowserWindow.windows.push(this);
      created.push({ options, contents: this.webContents });
    }
    loadFile(file: string) {
      created.at(-1)!.loaded = file;
      return Promise.resolve();
    }
    maximize() {}
    show() {}
    isMaximized = () => false;
    isMinimized = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 800 });
  }

  const electron = {
    app: Object.assign(appEvents, {
      isPackaged: false,
      getAppPath: () => process.cwd(),
      getPath: () => process.env.MILEPOST_DATA_DIR ?? '/tmp/milepost-fake-userdata',
      requestSingleInstanceLock: () => true,
      whenReady: () => ready,
      quit: () => undefined,
    }),
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: (...args: unknown[]) => unknown) => {
        handleCalls.push(channel);
        handlers.set(channel, fn);
      },
    },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => (invoked.push({ channel, args }), Promise.resolve({ data: null })),
      on: () => undefined,
      removeListener: () => undefined,
    },
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push({ key, api }) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof permission.request) => (permission.request = fn),
        setPermissionCheckHandler: (fn: typeof permission.check) => (permission.check = fn),
      },
    },
    shell: { openExternal: (url: string) => (opened.push(url), Promise.resolve()), openPath: () => Promise.resolve('') },
    dialog: { showSaveDialog: async () => ({ canceled: true }), showMessageBox: async () => ({}), showErrorBox: () => undefined },
    Menu: { buildFromTemplate: (t: unknown) => ({ template: t }), setApplicationMenu: () => undefined },
    safeStorage: fakeSafeStorage(),
    // A utility process stood in for by a worker thread: the engine's bundle runs in it
    // for real, speaking through worker_threads' parentPort instead of process.parentPort.
    utilityProcess: {
      fork: (modulePath: string) => {
        const worker = new Worker(modulePath, { stdout: false, stderr: false });
        forked.push(modulePath);
        return Object.assign(worker, { kill: () => void worker.terminate() });
      },
    },
    Notification: class {
      constructor(readonly options: { title: string; body: string }) {}
      show() {}
      on() {
        return this;
      }
    },
  };
  return { electron, created, handlers, handleCalls, exposed, opened, invoked, forked, permission, ready: () => readyResolve() };
}

/**
 * A stand-in for Electron's safeStorage: "encrypts" by XOR with a key (reversible, and
 * not the plain text), so tests can check what reaches the disk.
 */
export function fakeSafeStorage(available = true) {
  const key = 0x5a;
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text: string) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ key)),
    decryptString: (data: Buffer) => Buffer.from(data.map((b) => b ^ key)).toString('utf8'),
  };
}
