import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../domain/errors.js';
import { TENANT_ID_RE } from '../domain/tenantId.js';
import { tenantFile } from '../tenants.js';
import type { Engine } from './engine.js';

// The engine host: how a transport reaches the engine (main/engine/engine.ts). One
// interface, three ways to run it — in the same thread (the tests of the adapters), in
// worker threads (`milepost serve`) and in Electron utility processes (the desktop) —
// the last two through one pool that gives each tenant an engine of its own, so one
// tenant's long work never stalls another's requests. Calls and answers are plain
// data; an error crosses as its envelope and is made an AppError again here.

/** The calls a transport makes. */
type Calls = Pick<Engine, 'authenticate' | 'revoke' | 'importRoom' | 'run' | 'respond' | 'signedIn' | 'signedOut' | 'backupAll'>;
export type EngineHost = { [K in keyof Calls]: (...args: Parameters<Calls[K]>) => Promise<Awaited<ReturnType<Calls[K]>>> } & {
  /** Stop every engine; each closes its databases (WAL checkpointed). */
  close(): Promise<void>;
};

const CALLS = ['authenticate', 'revoke', 'importRoom', 'run', 'respond', 'signedIn', 'signedOut', 'backupAll'] as const satisfies readonly (keyof Calls)[];

/** The engine in this thread: the same calls, no messages. */
export function inlineEngine(engine: Engine): EngineHost {
  const host = Object.fromEntries(CALLS.map((name) => [name, async (...args: unknown[]) => (engine[name] as (...a: unknown[]) => unknown)(...args)]));
  return { ...host, close: async () => engine.close() } as EngineHost;
}

/** What an engine's process or worker is started with (its first message). */
export interface EngineInit {
  dataDir: string;
  migrations?: string;
  /** The desktop's keychain, relayed: what it holds now, and whether a change is kept. */
  secrets?: { persistent: boolean; values: Record<string, string> };
  /** Reminders are shown (the desktop). */
  notify?: boolean;
}

/** An engine's events: a reminder to show, a sync password to keep in the keychain. */
export type EngineEvent = { event: 'notify'; note: { title: string; body: string } } | { event: 'secret'; key: string; value: string | null };

export type WireError = { code: ErrorCode; message: string; details: AppError['details']; extra: Record<string, unknown> } | { internal: string };
export type FromEngine = { id: number; value?: unknown; error?: WireError } | EngineEvent;
export type ToEngine = { init: EngineInit } | { id: number; method: string; args: unknown[] };

export const wireError = (err: unknown): WireError =>
  err instanceof AppError ? { code: err.code, message: err.message, details: err.details, extra: err.extra } : { internal: (err as Error)?.message ?? String(err) };

const fromWire = (e: WireError): Error => ('internal' in e ? new Error(e.internal) : new AppError(e.code, e.message, e.details, e.extra));

/** One engine's process or worker as the pool sees it. */
export interface EnginePort {
  post(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

const stopped = () => new AppError('unavailable', 'the engine stopped while answering: try again', [{ field: '(request)', message: 'try again' }], { retry_after_s: 1 });

/** An engine in another thread or process: each call a message, each answer matched by its id. */
class RemoteEngine {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: Promise<void>;

  constructor(private readonly port: EnginePort, init: EngineInit, onEvent: (e: EngineEvent) => void, onExit: () => void) {
    let exit!: () => void;
    this.exited = new Promise((resolve) => (exit = resolve));
    port.onMessage((m) => {
      if ('event' in m) return onEvent(m);
      const call = this.pending.get(m.id);
      if (!call) return;
      this.pending.delete(m.id);
      if (m.error) call.reject(fromWire(m.error));
      else call.resolve(m.value);
    });
    port.onExit(() => {
      for (const call of this.pending.values()) call.reject(stopped());
      this.pending.clear();
      onExit();
      exit();
    });
    port.post({ init });
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.post({ id, method, args });
    });
  }

  async close(): Promise<void> {
    await this.call('close', []).catch(() => undefined);
    this.port.kill();
    await this.exited;
  }
}

/**
 * Engines by tenant, started on a tenant's first call and kept: a call naming a tenant
 * that is not in the data folder (a sign-in with a wrong tenant, a forged token) goes to
 * one shared engine, which answers it as any would — so no name starts an engine.
 */
export class EnginePool {
  private readonly engines = new Map<string, RemoteEngine>();
  private closing = false;

  constructor(
    private readonly init: EngineInit,
    private readonly spawn: () => EnginePort,
    private readonly onEvent: (e: EngineEvent) => void = () => undefined,
  ) {}

  private keyOf(tenantId: string): string {
    return TENANT_ID_RE.test(tenantId) && fs.existsSync(tenantFile(this.init.dataDir, tenantId)) ? tenantId : '';
  }

  private engine(key: string): RemoteEngine {
    if (this.closing) throw new AppError('unavailable', 'the server is stopping');
    let engine = this.engines.get(key);
    if (!engine) {
      const made: RemoteEngine = new RemoteEngine(this.spawn(), this.init, this.onEvent, () => {
        if (this.engines.get(key) === made) this.engines.delete(key);
      });
      engine = made;
      this.engines.set(key, engine);
    }
    return engine;
  }

  private on(tenantId: string, method: keyof Calls, args: unknown[]) {
    return this.engine(this.keyOf(tenantId)).call(method, args) as Promise<never>;
  }

  readonly host: EngineHost = {
    authenticate: (tenantId, ...rest) => this.on(tenantId, 'authenticate', [tenantId, ...rest]),
    revoke: (who, ...rest) => this.on(who.tenantId, 'revoke', [who, ...rest]),
    importRoom: (who, ...rest) => this.on(who.tenantId, 'importRoom', [who, ...rest]),
    run: (who, ...rest) => this.on(who.tenantId, 'run', [who, ...rest]),
    respond: (who, ...rest) => this.on(who.tenantId, 'respond', [who, ...rest]),
    signedIn: (who) => this.on(who.tenantId, 'signedIn', [who]),
    signedOut: async () => void (await Promise.all([...this.engines.values()].map((e) => e.call('signedOut', [])))),
    backupAll: () => this.engine('').call('backupAll', []) as Promise<string[]>,
    close: async () => {
      this.closing = true;
      await Promise.all([...this.engines.values()].map((e) => e.close()));
      this.engines.clear();
    },
  };

  /** How many engines run now (the benchmarks and tests look). */
  get size(): number {
    return this.engines.size;
  }
}

/** The engine's worker script: the bundle's beside it (the packaged app), else the TypeScript source run through tsx (CLI, serve, tests). */
export const engineScript = (): URL =>
  new URL(import.meta.url.endsWith('.cjs') ? './engine.cjs' : './engineBoot.mjs', import.meta.url);

/** Engines in worker threads of this process (`milepost serve`). */
export function workerPool(init: EngineInit, onEvent?: (e: EngineEvent) => void): EnginePool {
  return new EnginePool(init, () => {
    const worker = new Worker(engineScript(), { stdout: false, stderr: false });
    // A worker that fails outside a call ends (its calls answered 503); the pool starts another on the next call.
    worker.on('error', (err) => console.error('engine worker failed', err));
    return {
      post: (m) => worker.postMessage(m),
      onMessage: (listener) => void worker.on('message', listener),
      onExit: (listener) => void worker.on('exit', listener),
      kill: () => void worker.terminate(),
    };
  }, onEvent);
}
