import fs from 'node:fs';
import path from 'node:path';

/**
 * Write a file whole or not at all: under a temporary name, renamed into place when
 * complete. `private` makes the folder and file readable by this user only (photos).
 */
export function writeWhole(file: string, data: string | Buffer, options: { private?: boolean } = {}): void {
  const mode = options.private ? { dir: 0o700, file: 0o600 } : { dir: 0o777, file: 0o666 };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: mode.dir });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data, { mode: mode.file, flag: 'w' });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
