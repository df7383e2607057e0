import fs from 'node:fs';
import path from 'node:path';
import type { UtilityProcess } from 'electron';
import { EnginePool, type EngineEvent, type EnginePort } from '../engine/host.js';
import { secretKey, type SecretStore } from '../sync/runtime.js';

// The desktop's engine: the tenant databases, the handler table, sync and
// the reminders' queries run in an Electron utility process of their own, as Actual
// Budget runs its server; this main process keeps the window, menus, dialogs and the
// session, so an import or a full export never freezes the window. The engine cannot
// use the OS keychain (safeStorage is the main process's): the sync passwords it holds
// are read here at start and each change it makes is kept here.

type Fork = (modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' }) => UtilityProcess;

/** One utility process as the engine pool sees it. */
export function utilityPort(fork: Fork, script: string): EnginePort {
  const child = fork(script, [], { serviceName: 'Milepost engine', stdio: 'inherit' });
  return {
    post: (m) => child.postMessage(m),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.on('exit', listener),
    kill: () => void child.kill(),
  };
}

/** The sync passwords the keychain holds for the data folder's tenants. */
export function keptPasswords(secrets: SecretStore, dataDir: string): Record<string, string> {
  const dir = path.join(dataDir, 'tenants');
  const tenants = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite')).map((f) => f.slice(0, -'.sqlite'.length)) : [];
  return Object.fromEntries(tenants.flatMap((t) => {
    const value = secrets.get(secretKey(t));
    return value === undefined ? [] : [[secretKey(t), value]];
  }));
}

export function desktopEngine(options: {
  fork: Fork;
  script: string;
  dataDir: string;
  migrations: string;
  secrets: SecretStore;
  /** A reminder to show as a notification. */
  notify: (note: { title: string; body: string }) => void;
}): EnginePool {
  const onEvent = (e: EngineEvent) => {
    if (e.event === 'notify') options.notify(e.note);
    else if (e.value === null) options.secrets.delete(e.key);
    else options.secrets.set(e.key, e.value);
  };
  const init = { dataDir: options.dataDir, migrations: options.migrations, notify: true, secrets: { persistent: options.secrets.persistent, values: keptPasswords(options.secrets, options.dataDir) } };
  return new EnginePool(init, () => utilityPort(options.fork, options.script), onEvent);
}
