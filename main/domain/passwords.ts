import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

// SPEC §3: passwords are stored as scrypt hashes, never plain.
const N = 16384;
const r = 8;
const p = 1;
const KEY_LEN = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEY_LEN, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, rr, pp, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(rr), p: Number(pp) });
  return timingSafeEqual(expected, actual);
}

/**
 * The same check off the event loop (libuv's thread pool): a sign-in's ~45 ms of scrypt
 * never stalls other users' requests. How many run at once is the caller's to bound.
 */
export function verifyPasswordAsync(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return Promise.resolve(false);
  const expected = Buffer.from(hash, 'base64');
  return new Promise((resolve, reject) => {
    scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(rr), p: Number(pp), maxmem: 64 * 1024 * 1024 }, (err, actual) => {
      if (err) reject(err);
      else resolve(timingSafeEqual(expected, actual));
    });
  });
}
