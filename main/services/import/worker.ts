import { parentPort, workerData } from 'node:worker_threads';
import { ImportRefusal, readImportFile } from './file.js';

// The worker an import file is read in (file.ts, started by reader.ts): the
// file's bytes in, its table or the refusal out. Its heap is its own and capped, so a
// file that would take more is the worker's failure, not the server's.

const { bytes, fileName } = workerData as { bytes: Uint8Array; fileName: string };
readImportFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), fileName).then(
  (table) => parentPort!.postMessage({ table }),
  (e: unknown) => parentPort!.postMessage(e instanceof ImportRefusal ? { refusal: { field: e.field, message: e.message } } : { failure: (e as Error).message ?? String(e) }),
);
