import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNEL, type BridgeAnswer } from '../api/bridge.js';
import { contract, loginInput, type SessionOperation } from '../api/contract.js';
import type { Sessions, Who } from '../api/session.js';
import type { EngineHost } from '../engine/host.js';
import { AppError } from '../domain/errors.js';
import { parseInput } from '../domain/validation.js';
import { httpError } from '../http/errors.js';
import { csvExportInput, type CsvExport } from '../services/exports.js';
import { pdfFileInput, type DocumentFile } from '../documents/documents.js';

// The IPC adapter: every operation of the contract registered once, through one
// wrapper that checks the calling frame, hands the call to the engine (its own
// process, main/engine/) as `serve` does, and answers with the same error envelope.
// The tenant and user come from the session held here after sign-in, never from the
// renderer; the engine checks the account again on each call.

export interface IpcDeps {
  engine: Pick<EngineHost, 'run' | 'signedIn' | 'signedOut'>;
  sessions: Pick<Sessions, 'checkPassword'>;
  isTrusted: (url: string) => boolean;
  saveCsv: (event: IpcMainInvokeEvent, file: CsvExport) => Promise<void>;
  saveDocument?: (event: IpcMainInvokeEvent, file: DocumentFile) => Promise<void>;
}

const answer = (err: unknown): BridgeAnswer => ({ error: httpError(err).body.error });

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, deps: IpcDeps) {
  let current: Who | null = null;
  const signOut = async () => {
    current = null;
    await deps.engine.signedOut();
  };

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

  for (const name of Object.keys(contract) as SessionOperation[]) {
    handle(CHANNEL.op(name), async (_event, input) => {
      if (!current) throw new AppError('unauthorized', 'please sign in');
      // The account as it is now: deactivated, or its password or role changed, ends the session.
      try {
        return { data: await deps.engine.run(current, name, input) };
      } catch (err) {
        if (err instanceof AppError && err.code === 'unauthorized') await signOut();
        throw err;
      }
    });
  }

  handle(CHANNEL.signIn, async (_event, credentials) => {
    const input = parseInput(loginInput, credentials);
    const { user, version } = await deps.sessions.checkPassword(input);
    current = { tenantId: input.tenant_id, userId: user.id, version };
    // The tenant's daily backup, its background sync and the user's reminders start.
    await deps.engine.signedIn(current);
    return { data: { user } };
  });
  handle(CHANNEL.signOut, async () => {
    await signOut();
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
