import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { RFC_4180, type CsvFormat } from './format.js';

export { csvFormatFor, DELIMITERS, RFC_4180, type CsvFormat } from './format.js';

// SPEC §6 CSV: RFC 4180 (CRLF, quotes doubled), UTF-8 with a BOM for Excel, a header
// of field names, dates as YYYY-MM-DD, money with 2 decimals, and the formula-
// injection guard. One writer serves the CLI export and the HTTP API.
//
// Two things a manager's spreadsheet needs beyond that: where the locale writes
// decimals with a comma (de-DE, fr-FR, pt-BR…), a spreadsheet opens a file by
// double-click only when cells are separated by `;` and decimals written with `,`;
// and a line saying what the file is (report, filters, time zone, when) may precede
// the header as a `#` comment.

export interface CsvShape {
  columns: readonly string[];
  /** Columns holding money as decimal numbers: written with exactly two decimals. */
  money?: readonly string[];
}

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Whether a cell needs the guard: a spreadsheet would run it as a formula (plain
 * numbers stay numbers), or it is text that already starts with the guard's `'` before
 * such a formula — guarded too, so that the guard can be undone exactly on import.
 */
function needsGuard(cell: string): boolean {
  let at = 0;
  while (cell[at] === "'") at += 1;
  const rest = cell.slice(at);
  return FORMULA_START.test(rest) && !PLAIN_NUMBER.test(rest);
}

/** Prefix a cell that a spreadsheet would run as a formula with `'`; plain numbers stay numbers. */
export function guardFormula(cell: string): string {
  return needsGuard(cell) ? `'${cell}` : cell;
}

/** Undo `guardFormula` on a cell read back (an exported file imported again): only on a cell the guard would have made. */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && needsGuard(cell.slice(1)) ? cell.slice(1) : cell;
}

export function formatCell(value: unknown, isMoney: boolean, decimal: CsvFormat['decimal'] = '.'): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    const text = isMoney ? value.toFixed(2) : String(value);
    return decimal === '.' ? text : text.replace('.', decimal);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') return guardFormula(JSON.stringify(value));
  return guardFormula(String(value));
}

export interface CsvOptions {
  format?: CsvFormat;
  /** Text of a `#` line before the header (what the file is); none when absent. */
  comment?: string;
}

const formatOf = (options: CsvOptions) => options.format ?? RFC_4180;

/** A row's cells in the shape's column order, money and decimals as the format has them. */
function cellWriter(shape: CsvShape, options: CsvOptions): (row: Record<string, unknown>) => string[] {
  const money = new Set(shape.money ?? []);
  const { decimal } = formatOf(options);
  return (row) => shape.columns.map((c) => formatCell(row[c], money.has(c), decimal));
}

/**
 * The BOM, then the comment line if any. The comment is kept to one unquoted cell:
 * line breaks, quotes and the delimiter are replaced by spaces, and it starts with
 * `#`, which no spreadsheet runs as a formula.
 */
function preamble(options: CsvOptions): string {
  if (options.comment === undefined) return BOM;
  const { delimiter } = formatOf(options);
  const line = `# ${options.comment}`.replace(/[\r\n"]/g, ' ').split(delimiter).join(' ');
  return `${BOM}${line}\r\n`;
}

const stringifyOptions = (shape: CsvShape, options: CsvOptions) =>
  ({ bom: false, header: true, columns: [...shape.columns], record_delimiter: 'windows' as const, delimiter: formatOf(options).delimiter });

/** The whole CSV as a string (reports: a few hundred rows at most). */
export function toCsv(rows: Iterable<Record<string, unknown>>, shape: CsvShape, options: CsvOptions = {}): string {
  return preamble(options) + stringifySync([...rows].map(cellWriter(shape, options)), stringifyOptions(shape, options));
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
  options: CsvOptions = {},
): Promise<number> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const cellsOf = cellWriter(shape, options);
  let written = 0;
  const toCells = new Transform({
    objectMode: true,
    transform(row: Record<string, unknown>, _enc, done) {
      written += 1;
      if (onProgress && written % 10_000 === 0) onProgress(written);
      done(null, cellsOf(row));
    },
  });
  let out: fs.WriteStream | undefined;
  try {
    fs.writeFileSync(tmp, preamble(options));
    out = fs.createWriteStream(tmp, { flags: 'a' });
    await pipeline(Readable.from(rows), toCells, stringify(stringifyOptions(shape, options)), out);
    fs.renameSync(tmp, file);
  } catch (err) {
    // A failed pipeline destroys the file stream, but its open may still be on its way and
    // would make the file again after it is removed: removed once the stream has closed.
    const stream = out;
    if (stream && !stream.closed) await new Promise<void>((resolve) => stream.once('close', () => resolve()));
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return written;
}
