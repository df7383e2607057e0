// Bundles the Electron main process and preload script into dist/main/ (CommonJS:
// a sandboxed preload cannot be an ES module). better-sqlite3 stays a native module.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir: 'dist/main',
  outExtension: { '.js': '.cjs' },
  sourcemap: true,
  logLevel: 'warning',
  // ES-module code asks import.meta.url for its own location; give the bundle's.
  define: { 'import.meta.url': '__milepostModuleUrl' },
  banner: { js: "const __milepostModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await build({ ...common, entryPoints: { index: 'main/electron/index.ts' }, external: ['electron', 'better-sqlite3', 'sharp', 'exceljs', 'pdfkit'] });
await build({ ...common, entryPoints: { preload: 'main/electron/preload.ts' }, external: ['electron'] });
// The import reader's worker (main/services/import/reader.ts starts it beside the bundle).
await build({ ...common, entryPoints: { importWorker: 'main/services/import/worker.ts' }, external: ['exceljs'] });
// The engine (main/engine/worker.ts): the desktop runs it in a utility process of its own.
await build({ ...common, entryPoints: { engine: 'main/engine/worker.ts' }, external: ['better-sqlite3', 'sharp', 'exceljs', 'pdfkit'] });
