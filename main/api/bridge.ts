import type { DocumentFile } from '../documents/documents.js';
import type { CsvExport } from '../services/exports.js';
// What the desktop app's preload script exposes as `window.milepost` (and nothing
// more): the contract's operations by name, sign-in held in the main process, the
// native save dialogs, and the main process's requests for a screen. An import's progress is
// read with `imports.status`, as over HTTP. Types only; both sides import it type-only.

export interface BridgeAnswer {
  data?: unknown;
  error?: { code: string; message: string; details: { field: string; message: string }[] } & Record<string, unknown>;
}

export interface DesktopBridge {
  invoke(op: string, input: unknown): Promise<BridgeAnswer>;
  signIn(credentials: { tenant_id: string; username: string; password: string }): Promise<BridgeAnswer>;
  signOut(): Promise<BridgeAnswer>;
  hasSession(): Promise<boolean>;
  /** Save an export (and its side file) where the user chooses. */
  saveCsv(file: CsvExport): Promise<BridgeAnswer>;
  /** Save a document (a PDF) where the user chooses. */
  saveDocument(file: DocumentFile): Promise<BridgeAnswer>;
  /** The main process asks for a screen (a reminder was clicked). */
  onNavigate(listener: (screen: string) => void): () => void;
}

export const CHANNEL = {
  op: (name: string) => `milepost:op:${name}`,
  signIn: 'milepost:signIn',
  signOut: 'milepost:signOut',
  hasSession: 'milepost:hasSession',
  saveCsv: 'milepost:saveCsv',
  saveDocument: 'milepost:saveDocument',
  navigate: 'milepost:navigate',
} as const;
