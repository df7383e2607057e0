// Starts the import reader's worker from its TypeScript source (the CLI, `serve` and the
// tests run the sources through tsx; the packaged app runs the bundle's importWorker.cjs).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
