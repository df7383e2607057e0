import type { DesktopBridge } from '../../main/api/bridge.js';
import { httpTransport } from './httpTransport.js';
import { ipcTransport } from './ipcTransport.js';
import { ApiError, type Credentials, type Input, type Op, type Output, type Transport } from './types.js';
import type { CsvExport } from '../../main/services/exports.js';

// The typed client: `send(op, input)`. The transport is chosen once, at start-up:
// the Electron preload bridge when present, otherwise HTTP to `milepost serve`.
declare global {
  interface Window {
    milepost?: DesktopBridge;
  }
}

const transport: Transport = window.milepost ? ipcTransport(window.milepost) : httpTransport();

/** Told when Milepost ends the session (the account was deactivated or changed, or the token expired): the app goes back to sign-in. */
let onSessionEnded: (message: string) => void = () => {};
export const whenSessionEnds = (fn: (message: string) => void) => void (onSessionEnded = fn);

export const send = <K extends Op>(op: K, input: Input<K>): Promise<Output<K>> =>
  (transport.send(op, input) as Promise<Output<K>>).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === 'unauthorized') onSessionEnded(err.message);
    throw err;
  });
export const signIn = (c: Credentials) => transport.signIn(c);
export const signOut = () => transport.signOut();
export const hasSession = () => transport.hasSession();
export const saveCsv = (file: CsvExport) => transport.saveCsv(file);
export const saveDocument = (file: { file_name: string; content_type: string; data_base64: string }) => transport.saveDocument(file);
