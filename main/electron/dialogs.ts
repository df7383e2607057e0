import fs from 'node:fs/promises';
import path from 'node:path';
import { BrowserWindow, dialog, type IpcMainInvokeEvent } from 'electron';

/** Export CSV on the desktop: the native save dialog, then the file written whole. */
export async function saveCsvWithDialog(event: IpcMainInvokeEvent, filename: string, csv: string): Promise<void> {
  const window = BrowserWindow.fromWebContents(event.sender) ?? undefined;
  const options = { defaultPath: path.basename(filename), filters: [{ name: 'CSV', extensions: ['csv'] }] };
  const { canceled, filePath } = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (canceled || !filePath) return;
  const tmp = `${filePath}.${process.pid}.tmp`;
  await fs.writeFile(tmp, csv, 'utf8');
  await fs.rename(tmp, filePath);
}
