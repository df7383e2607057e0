import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

// SPEC §6 CSV: RFC 4180 (CRLF, quotes doubled), UTF-8 with a BOM for Excel, a header
// of field names, dates as YYYY-MM-DD, money with 2 decimals, and the formula-
// injection guard. One writer serves the CLI export and the HTTP API.

export interface CsvShape {
  columns: readonly string[];
  /** Columns holding money as decimal numbers: written with exactly two decimals. */
  money?: readonly string[];
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Prefix a cell that a spreadsheet would run as a formula with `'`; plain numbers stay numbers. */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** Undo `guardFormula` on a cell read back (an exported file imported again). */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) && !PLAIN_NUMBER.test(cell.slice(1)) ? cell.slice(1) : cell;
}

export function formatCell(value: unknown, isMoney: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return isMoney ? value.toFixed(2) : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') return guardFormula(JSON.stringify(value));
  return guardFormula(String(value));
}

function cellsOf(row: Record<string, unknown>, shape: CsvShape): string[] {
  const money = new Set(shape.money ?? []);
  return shape.columns.map((c) => formatCell(row[c], money.has(c)));
}

const options = (shape: CsvShape) => ({ bom: true, header: true, columns: [...shape.columns], record_delimiter: 'windows' as const });

/** The whole CSV as a string (reports: a few hundred rows at most). */
export function toCsv(rows: Iterable<Record<string, unknown>>, shape: CsvShape): string {
  return stringifySync([...rows].map((r) => cellsOf(r, shape)), options(shape));
}

/**
 * Stream rows to a file. The file is written under a temporary name and renamed
 * into place only when complete, so a failed export never leaves half a file.
 */
export async function writeCsvFile(
  file: string,
  rows: Iterable<Record<string, unknown>>,
  shape: CsvShape,
  onProgress?: (written: number) => void,
): Promise<number> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  let written = 0;
  const toCells = new Transform({
    objectMode: true,
    transform(row: Record<string, unknown>, _enc, done) {
      written += 1;
      if (onProgress && written % 10_000 === 0) onProgress(written);
      done(null, cellsOf(row, shape));
    },
  });
  try {
    await pipeline(Readable.from(rows), toCells, stringify(options(shape)), fs.createWriteStream(tmp));
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return written;
}
