import fs from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import type { SecretStore } from '../sync/runtime.js';

// The sync login's password on the desktop (SPEC §8): encrypted by the OS keychain
// through Electron's safeStorage, the ciphertext kept in <data-dir>/secrets (0600).
// Where the OS offers no keychain the password is kept in memory only, never written
// in plain text, and the Sync screen says it will be asked for again.

export class KeychainSecrets implements SecretStore {
  private readonly memory = new Map<string, string>();

  constructor(private readonly safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>, private readonly dir: string) {}

  get persistent() {
    return this.safeStorage.isEncryptionAvailable();
  }

  private file(key: string) {
    return path.join(this.dir, `${key.replace(/[^a-z0-9_-]/gi, '_')}.bin`);
  }

  get(key: string): string | undefined {
    if (this.memory.has(key)) return this.memory.get(key);
    if (!this.persistent || !fs.existsSync(this.file(key))) return undefined;
    try {
      return this.safeStorage.decryptString(fs.readFileSync(this.file(key)));
    } catch {
      return undefined; // made by another user or machine: ask again
    }
  }

  set(key: string, value: string): void {
    if (!this.persistent) {
      this.memory.set(key, value);
      return;
    }
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(this.file(key), this.safeStorage.encryptString(value), { mode: 0o600 });
    this.memory.delete(key);
  }

  delete(key: string): void {
    this.memory.delete(key);
    fs.rmSync(this.file(key), { force: true });
  }
}
