import { authorize, sessionFor } from '../api/access.js';
import { dispatch, dispatchCsv, withIds } from '../api/dispatch.js';
import { documentOperations, isSessionOperation, reportOperations, type SessionOperation } from '../api/contract.js';
import type { SessionUser, Who } from '../api/session.js';
import { AppError } from '../domain/errors.js';
import { importRoom } from '../services/import/reader.js';
import { MemorySecrets, SyncRuntime, type SecretStore } from '../sync/runtime.js';
import type { TenantManager } from '../tenants.js';
import { Accounts } from './accounts.js';
import { backupAllNow, backupIfDue } from './backups.js';
import { Reminders } from './reminders.js';

// The engine: everything that touches a tenant's data — the tenant databases, the
// handler table, sync and the reminders' queries — behind a few calls that take and
// give plain data. It runs in a process or worker of its own (main/engine/host.ts), so
// an import, a full export or a sync never holds up the thread that moves the window
// or answers other requests; the transports (IPC, HTTP) keep only the session.

/** A call as the HTTP adapter hands it over: the operation, its input, and the form the answer is wanted in. */
export interface EngineRequest {
  op: string;
  input: Record<string, unknown>;
  /** A report's rows as a file: `csv` or `xlsx` (SPEC §6); otherwise JSON. */
  format?: 'json' | 'csv' | 'xlsx';
  /** The route names one record by id: its answer carries its version as an ETag. */
  byId?: boolean;
  /** The app's own transport (/rpc): the answer as JSON whatever the operation, a document's bytes in it as base64. */
  rpc?: boolean;
}

/**
 * The answer, ready for the transport to send: JSON already written out as bytes here,
 * so the thread that takes requests only passes them on (a full export's answer is tens
 * of megabytes of JSON to write).
 */
export type EngineReply =
  | { kind: 'json'; status: number; body: Uint8Array; etag?: string }
  | { kind: 'file'; contentType: string; fileName: string; body: string | Uint8Array };

const jsonBody = (data: unknown) => new Uint8Array(Buffer.from(JSON.stringify({ data })));

export interface EngineOptions {
  /** Where sync passwords are kept (the desktop relays its keychain); memory otherwise. */
  secrets?: SecretStore;
  /** Show a desktop notification for the signed-in user's reminders (the main process shows it; a click opens Today); none when not given. */
  notify?: (note: { title: string; body: string }) => void;
}

const fileReply = (file: { content_type: string; file_name: string; data_base64: string }): EngineReply =>
  ({ kind: 'file', contentType: file.content_type, fileName: file.file_name, body: new Uint8Array(Buffer.from(file.data_base64, 'base64')) });

export class Engine {
  readonly sync: SyncRuntime;
  readonly accounts: Accounts;
  private readonly reminders: Reminders | null;

  constructor(readonly manager: TenantManager, options: EngineOptions = {}) {
    this.sync = new SyncRuntime(manager, options.secrets ?? new MemorySecrets());
    this.accounts = new Accounts(manager, this.sync);
    const notify = options.notify;
    this.reminders = notify ? new Reminders((note) => ({ show: () => notify(note), on: () => undefined }), () => undefined) : null;
  }

  authenticate(tenantId: string, username: string, password: string): Promise<{ user: SessionUser; version: number } | null> {
    return this.accounts.authenticate(tenantId, username, password);
  }

  revoke(who: Who, expiresAt: number): void {
    this.accounts.revoke(who, expiresAt);
  }

  /** Before an import's file arrives: the caller signed in and allowed to import, and the tenant with room for it (409 otherwise). */
  importRoom(who: Who, op: 'imports.preview' | 'imports.start'): { readingFull: boolean } {
    const session = this.accounts.resume(who);
    authorize(op, session, undefined); // a role that may not import hears so first
    return importRoom(session.tenantId, op === 'imports.preview' ? 'preview' : 'start');
  }

  /** One operation for a signed-in caller (the desktop, HTTP's /rpc): its answer. */
  async run(who: Who, op: string, input: unknown): Promise<unknown> {
    if (!isSessionOperation(op)) throw new AppError('not_found', `no operation '${op}'`, [{ field: 'op', message: 'unknown operation' }]);
    return dispatch(op, this.accounts.resume(who), input).data;
  }

  /** One HTTP route's call: JSON with its status and version, or a report or document as the file it is. */
  async respond(who: Who, request: EngineRequest): Promise<EngineReply> {
    const session = this.accounts.resume(who);
    const op = request.op as SessionOperation;
    const report = reportOperations[op as keyof typeof reportOperations];
    // The report's record named by its code as on the JSON and CSV routes.
    if (report && request.format === 'xlsx') return fileReply(await dispatch('exports.xlsx', session, { name: report, ...(withIds(op, sessionFor(op, session), request.input) as object) }).data);
    if (report && request.format === 'csv') {
      const { filename, csv } = dispatchCsv(op as keyof typeof reportOperations, session, request.input);
      return { kind: 'file', contentType: 'text/csv; charset=utf-8', fileName: filename, body: csv };
    }
    const { created, data } = dispatch(op, session, request.input);
    const answer = await data;
    // The file itself, as the CLI writes it and the app saves it.
    if (documentOperations.has(op) && !request.rpc) return fileReply(answer as { content_type: string; file_name: string; data_base64: string });
    // One record read by id carries its version, for If-Match on the change that follows.
    const version = (answer as { updated_at?: unknown } | null)?.updated_at;
    return { kind: 'json', status: created ? 201 : 200, body: jsonBody(answer), ...(request.byId && typeof version === 'string' ? { etag: `"${version}"` } : {}) };
  }

  /** The desktop's user signed in: the tenant's daily backup, its background sync, and their reminders. */
  signedIn(who: Who): void {
    try {
      backupIfDue(this.manager, who.tenantId);
    } catch (err) {
      console.error('daily backup failed', err);
    }
    this.sync.schedule(who.tenantId);
    this.reminders?.start(this.accounts.resume(who));
  }

  signedOut(): void {
    this.reminders?.stop();
  }

  /** "Back up now": every tenant of the data folder; the files written. */
  backupAll(): string[] {
    return backupAllNow(this.manager);
  }

  /** Stop the timers and close every database (WAL checkpointed). */
  close(): void {
    this.sync.stop();
    this.reminders?.stop();
    this.manager.closeAll();
  }
}
