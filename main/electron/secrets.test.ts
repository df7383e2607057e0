import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeSafeStorage } from '../../test/fakeElectron.js';
import { tempDir } from '../../test/tenantFixture.js';
import { KeychainSecrets } from './secrets.js';

// The sync password on the desktop: through safeStorage (replaced here; no Electron
// runs in these tests), never on disk in plain text.
describe('KeychainSecrets', () => {
  it('keeps the password encrypted on disk and reads it back in a new process', () => {
    const dir = path.join(tempDir(), 'secrets');
    const store = new KeychainSecrets(fakeSafeStorage(), dir);
    store.set('sync-password:t1', 'branch-secret-1');
    expect(store.persistent).toBe(true);
    const files = fs.readdirSync(dir);
    expect(files).toEqual(['sync-password_t1.bin']);
    const raw = fs.readFileSync(path.join(dir, files[0]!));
    expect(raw.includes('branch-secret-1')).toBe(false);
    expect(fs.statSync(path.join(dir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(new KeychainSecrets(fakeSafeStorage(), dir).get('sync-password:t1')).toBe('branch-secret-1');
    store.delete('sync-password:t1');
    expect(new KeychainSecrets(fakeSafeStorage(), dir).get('sync-password:t1')).toBeUndefined();
  });

  it('keeps it in memory only where the OS has no keychain', () => {
    const dir = path.join(tempDir(), 'secrets');
    const store = new KeychainSecrets(fakeSafeStorage(false), dir);
    store.set('sync-password:t1', 'branch-secret-1');
    expect(store.persistent).toBe(false);
    expect(store.get('sync-password:t1')).toBe('branch-secret-1');
    expect(fs.existsSync(dir)).toBe(false);
    expect(new KeychainSecrets(fakeSafeStorage(false), dir).get('sync-password:t1')).toBeUndefined();
  });
});
