import path from 'node:path';
import { BrowserWindow, dialog, type IpcMainInvokeEvent } from 'electron';
import { writeWhole } from '../files.js';
import { detailsFileName, type CsvExport } from '../services/exports.js';
import type { DocumentFile } from '../documents/documents.js';

/**
 * Export CSV on the desktop: the native save dialog, then the file written whole, and
 * its side file (the export's details) beside it under the chosen name.
 */
export async function saveCsvWithDialog(event: IpcMainInvokeEvent, file: CsvExport): Promise<void> {
  const window = BrowserWindow.fromWebContents(event.sender) ?? undefined;
  const options = { defaultPath: path.basename(file.filename), filters: [{ name: 'CSV', extensions: ['csv'] }] };
  const { canceled, filePath } = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (canceled || !filePath) return;
  writeWhole(filePath, file.csv);
  if (file.details) writeWhole(detailsFileName(filePath), file.details.text);
}

/** A document on the desktop (a statement, a demand letter): the native save dialog, then the PDF written whole. */
export async function saveDocumentWithDialog(event: IpcMainInvokeEvent, file: DocumentFile): Promise<void> {
  const window = BrowserWindow.fromWebContents(event.sender) ?? undefined;
  const excel = file.file_name.toLowerCase().endsWith('.xlsx');
  const options = { defaultPath: path.basename(file.file_name), filters: [excel ? { name: 'Excel workbook', extensions: ['xlsx'] } : { name: 'PDF', extensions: ['pdf'] }] };
  const { canceled, filePath } = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (canceled || !filePath) return;
  writeWhole(filePath, Buffer.from(file.data_base64, 'base64'));
}
