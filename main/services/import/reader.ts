import { Worker } from 'node:worker_threads';
import { AppError, validationError } from '../../domain/errors.js';
import type { Table } from './file.js';

// Import files are read off the request thread: in a worker with a heap of
// its own and a time limit, two at most at once in this process, one per tenant (an
// import holds its tenant from reading the file to writing its last lead).

/** What a reading worker may use: heap beyond this ends it, and the file is refused. */
export const READER_LIMITS = { heapMb: 128, seconds: 60, atOnce: 2 } as const;

let reading = 0;
const tooMany = () =>
  new AppError('rate_limited', `${READER_LIMITS.atOnce} import files are being read now: try again in a few seconds`, [{ field: 'data_base64', message: 'wait for the imports being read' }], { retry_after_s: 5 });

/** The worker's script: the bundle's beside it (the packaged app), else the TypeScript source run through tsx (CLI, serve, tests). */
const workerScript = (): URL =>
  new URL(import.meta.url.endsWith('.cjs') ? './importWorker.cjs' : './workerBoot.mjs', import.meta.url);

/** A file read into a table in a worker: every cap of file.ts checked while reading; 422 naming the cap, 429 when busy. */
export async function readTableOffThread(bytes: Buffer, fileName: string, heapMb: number = READER_LIMITS.heapMb): Promise<Table> {
  if (reading >= READER_LIMITS.atOnce) throw tooMany();
  reading += 1;
  try {
    return await new Promise<Table>((resolve, reject) => {
      // The bytes are moved to the worker, not copied: a buffer of its own is handed over whole.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer);
      const moved = own ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
      const worker = new Worker(workerScript(), {
        workerData: { bytes: moved, fileName },
        transferList: [moved.buffer as ArrayBuffer],
        resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16 },
        stdout: false,
        stderr: true,
      });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
        void worker.terminate();
      };
      const timer = setTimeout(() => settle(() => reject(validationError('data_base64', `took longer than ${READER_LIMITS.seconds} s to read: split the file`))), READER_LIMITS.seconds * 1000);
      worker.on('message', (m: { table?: Table; refusal?: { field: string; message: string }; failure?: string }) => settle(() => {
        if (m.table) resolve(m.table);
        else if (m.refusal) reject(validationError(m.refusal.field, m.refusal.message));
        else reject(validationError('data_base64', `could not be read: ${m.failure ?? 'unknown error'}`));
      }));
      worker.on('error', (e: Error & { code?: string }) => settle(() => reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? validationError('data_base64', `needs more than ${heapMb} MB of memory to read: split the file`)
        : validationError('data_base64', `could not be read: ${e.message}`))));
      worker.on('exit', (code) => settle(() => reject(validationError('data_base64', `could not be read (the reader stopped with code ${code})`))));
    });
  } finally {
    reading -= 1;
  }
}

// One import at a time per tenant: an import (`imports.start`) holds its tenant from
// reading the file to writing its last lead, and another meanwhile is refused (409)
// naming it. A preview waits for the one before it in its tenant (the app previews again
// as decisions change) — one waiting at most; more are refused — and is refused while an
// import runs.
const running = new Map<string, string>();
const previews = new Map<string, { turn: Promise<void>; waiting: number }>();

const busyWith = (what: string) =>
  new AppError('conflict', `an import is already running in this tenant (${what}): try again when it finishes`, [{ field: 'data_base64', message: 'one import at a time per tenant' }]);

/**
 * Whether the tenant has room for another import's or preview's file, asked by the
 * engine before the body is read: refused (409) while its import runs or when two of
 * its previews are waiting; whether this process is reading its most files is answered
 * for `admitArrival` to refuse (429) after its own count.
 */
export function importRoom(tenant: string, kind: 'preview' | 'start'): { readingFull: boolean } {
  const holder = running.get(tenant);
  if (holder) throw busyWith(holder);
  if (kind === 'preview' && (previews.get(tenant)?.waiting ?? 0) >= 2) throw busyWith('a preview, with another waiting');
  return { readingFull: reading >= READER_LIMITS.atOnce };
}

/**
 * Admit a file's arrival once the engine found room (main/http/server.ts): refused when
 * two of the tenant's files are already arriving or the server is taking in its most —
 * so a refused one costs no memory for a file it will not read. These counts are the
 * transport's, where bodies arrive; the release is called when the request ends.
 */
const arriving = new Map<string, number>();
let arrivingAll = 0;
export function admitArrival(tenant: string, room: { readingFull: boolean }): () => void {
  const here = arriving.get(tenant) ?? 0;
  if (here >= 2) throw busyWith('a preview, with another waiting');
  if (room.readingFull || arrivingAll >= READER_LIMITS.atOnce + 1) throw tooMany();
  arriving.set(tenant, here + 1);
  arrivingAll += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    arrivingAll -= 1;
    const left = (arriving.get(tenant) ?? 1) - 1;
    if (left > 0) arriving.set(tenant, left);
    else arriving.delete(tenant);
  };
}

/** Hold the tenant for an import; call the release when its last lead is written. */
export function holdImport(tenant: string, what: string): () => void {
  const holder = running.get(tenant);
  if (holder) throw busyWith(holder);
  running.set(tenant, what);
  return () => running.delete(tenant);
}

/** Wait for the tenant's turn to preview; the release lets the next one in. */
export async function previewTurn(tenant: string, what: string): Promise<() => void> {
  const holder = running.get(tenant);
  if (holder) throw busyWith(holder);
  const queue = previews.get(tenant) ?? { turn: Promise.resolve(), waiting: 0 };
  if (queue.waiting >= 2) throw busyWith(`a preview, with another waiting; this one was ${what}`);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const before = queue.turn;
  queue.turn = before.then(() => mine);
  queue.waiting += 1;
  previews.set(tenant, queue);
  await before;
  return () => {
    queue.waiting -= 1;
    if (queue.waiting === 0) previews.delete(tenant);
    release();
  };
}
