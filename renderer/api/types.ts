// The only thing the renderer takes from the main side: the contract's types.
import type { OperationInput, OperationOutput, SessionOperation } from '../../main/api/contract.js';
import type { CsvExport } from '../../main/services/exports.js';

export type Op = SessionOperation;
export type Input<K extends Op> = OperationInput<K>;
export type Output<K extends Op> = OperationOutput<K>;

export interface FieldError {
  field: string;
  message: string;
}

/** A refusal from Milepost, in words a person can read, with the fields it names. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly details: FieldError[] = [], readonly status = 0, readonly extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
  }

  /** The record as it is now, when a change based on a stale copy was refused (SPEC §4). */
  current<T>(): T | undefined {
    return this.code === 'conflict' && this.extra.current && typeof this.extra.current === 'object' ? (this.extra.current as T) : undefined;
  }

  /** The first message for each named field. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) if (!out[d.field]) out[d.field] = d.message;
    return out;
  }
}

export interface Credentials {
  tenant_id: string;
  username: string;
  password: string;
}

/** How the renderer reaches the main side: Electron's preload bridge or HTTP to `milepost serve`. */
export interface Transport {
  signIn(credentials: Credentials): Promise<void>;
  signOut(): Promise<void>;
  /** Whether a session survives from before a reload. */
  hasSession(): Promise<boolean>;
  send(op: string, input: unknown): Promise<unknown>;
  /** Save an export the way the platform does (browser download, native save dialog), its side file too. */
  saveCsv(file: CsvExport): Promise<void>;
  /** Save a document (a PDF) the way the platform does. */
  saveDocument(file: { file_name: string; content_type: string; data_base64: string }): Promise<void>;
}
