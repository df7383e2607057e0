import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from 'electron';

// Where the shell finds its parts, packaged or in development. The bundles live in
// dist/main/, the renderer in dist/renderer/, migrations beside the app
// (extraResources when packaged).
export function appPaths(app: Pick<App, 'isPackaged' | 'getAppPath' | 'getPath'>, resourcesPath = process.resourcesPath) {
  const root = app.getAppPath();
  const rendererDir = path.join(root, 'dist', 'renderer');
  return {
    preload: path.join(root, 'dist', 'main', 'preload.cjs'),
    /** The engine's bundle, run in a utility process of its own (main/engine/worker.ts). */
    engine: path.join(root, 'dist', 'main', 'engine.cjs'),
    rendererIndex: path.join(rendererDir, 'index.html'),
    rendererRoot: pathToFileURL(rendererDir).href,
    migrations: app.isPackaged ? path.join(resourcesPath, 'migrations') : path.join(root, 'migrations'),
    /** The fonts documents embed (extraResources when packaged). */
    fonts: app.isPackaged ? path.join(resourcesPath, 'fonts') : path.join(root, 'resources', 'fonts'),
    dataDir: process.env.MILEPOST_DATA_DIR ? path.resolve(process.env.MILEPOST_DATA_DIR) : app.getPath('userData'),
  };
}
