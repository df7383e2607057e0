// Keeps better-sqlite3's native build matching the runtime about to load it:
// `node` for the tests and the CLI, `electron` for `npm start` and `npm run dist`.
// Electron's build needs network access to fetch Electron's headers (or a prebuilt).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: node scripts/native.mjs node|electron');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const stamp = new URL('../node_modules/better-sqlite3/build/milepost-runtime.txt', import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (target === 'node') {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { encoding: 'utf8' });
  if (probe.status === 0) process.exit(0);
  console.error('better-sqlite3 was built for another runtime; rebuilding it for Node…');
  execFileSync(npm, ['rebuild', 'better-sqlite3'], { stdio: 'inherit' });
  fs.writeFileSync(stamp, 'node\n');
} else {
  const version = require('electron/package.json').version;
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === `electron ${version}`) process.exit(0);
  console.error(`rebuilding better-sqlite3 for Electron ${version}…`);
  execFileSync(npm, ['rebuild', 'better-sqlite3'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      npm_config_runtime: 'electron',
      npm_config_target: version,
      npm_config_disturl: 'https://electronjs.org/headers',
      npm_config_build_from_source: 'true',
    },
  });
  fs.writeFileSync(stamp, `electron ${version}\n`);
}
