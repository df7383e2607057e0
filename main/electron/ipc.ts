import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNEL, type BridgeAnswer } from '../api/bridge.js';
import { dispatch, handlers, type SessionOperation } from '../api/handlers.js';
import { operations } from '../api/operations.js';
import type { Session, Sessions } from '../api/session.js';
import { AppError } from '../domain/errors.js';
import { parseInput } from '../domain/validation.js';
import { httpError } from '../http/errors.js';
import { csvExportInput, type CsvExport } from '../services/exports.js';
import { pdfFileInput, type DocumentFile } from '../documents/documents.js';

// The IPC adapter: every operation of the contract registered once, through one
// wrapper that checks the calling frame, runs the same handler table as `serve` and
// answers with the same error envelope. The tenant and user come from the session
// held here after sign-in, never from the renderer.

export interface IpcDeps {
  sessions: Sessions;
  isTrusted: (url: string) => boolean;
  saveCsv: (event: IpcMainInvokeEvent, file: CsvExport) => Promise<void>;
  saveDocument?: (event: IpcMainInvokeEvent, file: DocumentFile) => Promise<void>;
  /** Called after each successful sign-in (daily backup of that tenant). */
  onSignedIn?: (session: Session) => void;
  /** Called on signing out (reminders stop). */
  onSignedOut?: () => void;
}

const answer = (err: unknown): BridgeAnswer => ({ error: httpError(err).body.error });

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, deps: IpcDeps) {
  let current: Session | null = null;

  /** One wrapper for every channel: trusted frame only, errors as values. */
  const handle = (channel: string, fn: (...args: unknown[]) => Promise<unknown> | unknown) =>
    ipcMain.handle(channel, async (event, ...args) => {
      const url = event.senderFrame?.url ?? '';
      if (!deps.isTrusted(url)) return answer(new AppError('forbidden', 'this window may not call Milepost'));
      try {
        return await fn(event, ...args);
      } catch (err) {
        if (!(err instanceof AppError)) console.error(err);
        return answer(err);
      }
    });

  for (const name of Object.keys(handlers) as SessionOperation[]) {
    handle(CHANNEL.op(name), async (_event, input) => {
      if (!current) throw new AppError('unauthorized', 'please sign in');
      // The account as it is now: deactivated, or its password or role changed, ends the session.
      try {
        current = deps.sessions.recheck(current);
      } catch (err) {
        current = null;
        deps.onSignedOut?.();
        throw err;
      }
      return { data: await dispatch(name, current, input).data };
    });
  }

  handle(CHANNEL.signIn, async (_event, credentials) => {
    const input = parseInput(operations['auth.login'].input, credentials);
    const user = await deps.sessions.checkPassword(input);
    current = deps.sessions.open(input.tenant_id, user);
    deps.onSignedIn?.(current);
    return { data: { user } };
  });
  handle(CHANNEL.signOut, () => {
    current = null;
    deps.onSignedOut?.();
    return { data: null };
  });
  handle(CHANNEL.hasSession, () => current !== null);
  handle(CHANNEL.saveCsv, async (event, file) => {
    await deps.saveCsv(event as IpcMainInvokeEvent, parseInput(csvExportInput, file));
    return { data: null };
  });
  handle(CHANNEL.saveDocument, async (event, file) => {
    await deps.saveDocument?.(event as IpcMainInvokeEvent, parseInput(pdfFileInput, file));
    return { data: null };
  });

  return { session: () => current };
}
