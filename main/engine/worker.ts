import { parentPort } from 'node:worker_threads';
import { AppError } from '../domain/errors.js';
import { RelayedSecrets } from '../sync/runtime.js';
import { TenantManager } from '../tenants.js';
import { Engine } from './engine.js';
import { wireError, type EngineEvent, type EngineInit, type FromEngine, type ToEngine } from './host.js';

// An engine's own thread or process (main/engine/host.ts starts it): a worker thread
// under `milepost serve`, an Electron utility process on the desktop. Its first message
// says which data folder it serves; each after it is a call, answered by its id.

interface Port {
  post(message: FromEngine): void;
  listen(listener: (message: ToEngine) => void): void;
}

/** Electron's utility process speaks through process.parentPort; a worker thread through worker_threads' parentPort. */
function portOfParent(): Port {
  const electron = (process as unknown as { parentPort?: { on(e: 'message', l: (m: { data: ToEngine }) => void): void; postMessage(m: unknown): void } }).parentPort;
  if (electron) return { post: (m) => electron.postMessage(m), listen: (l) => electron.on('message', (e) => l(e.data)) };
  if (!parentPort) throw new Error('the engine runs in a worker or a utility process, not on its own');
  const port = parentPort;
  // An answer's bytes (a reply's body) are handed over, not copied.
  const moved = (m: FromEngine) => {
    const body = 'value' in m ? (m.value as { body?: unknown } | null)?.body : undefined;
    return body instanceof Uint8Array && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? [body.buffer as ArrayBuffer] : [];
  };
  return { post: (m) => port.postMessage(m, moved(m)), listen: (l) => port.on('message', l) };
}

export function serveEngine(port: Port): void {
  let engine: Engine | null = null;
  const start = (init: EngineInit) => {
    const event = (e: EngineEvent) => port.post(e);
    engine = new Engine(new TenantManager(init.dataDir, init.migrations), {
      secrets: init.secrets ? new RelayedSecrets(init.secrets.persistent, init.secrets.values, (key, value) => event({ event: 'secret', key, value })) : undefined,
      notify: init.notify ? (note) => event({ event: 'notify', note }) : undefined,
    });
  };
  port.listen(async (message) => {
    if ('init' in message) return start(message.init);
    const { id, method, args } = message;
    try {
      if (!engine) throw new Error('the engine was called before it was started');
      const call = (engine as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
      if (typeof call !== 'function' || method === 'constructor') throw new Error(`the engine has no call '${method}'`);
      port.post({ id, value: await call.apply(engine, args) });
    } catch (err) {
      if (!(err instanceof AppError)) console.error(err);
      port.post({ id, error: wireError(err) });
    }
  });
}

serveEngine(portOfParent());
