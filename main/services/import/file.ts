import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { unguardFormula } from '../../csv/csvWriter.js';

// Reading an import file: a file is a stranger's, so every size it can claim
// is capped while it is read, before it can cost memory or time — rows, columns, the
// length of a cell and of a line, and what each entry of an .xlsx (a zip) unzips to,
// counted as it inflates rather than trusted from its header. It runs in a worker
// (worker.ts) with a heap of its own, so even a file that slips past a cap costs
// that worker, never the server's request thread. A refusal names the cap and its limit.

export const CAPS = {
  /** Data rows read at once (SPEC §6 import). */
  rows: 200_000,
  columns: 200,
  /** Excel's own limit of a cell. */
  cellChars: 32_767,
  /** A CSV line, header included. */
  lineChars: 1_000_000,
  /** What one entry of an .xlsx unzips to. */
  entryBytes: 256 * 1024 * 1024,
  /** What all its entries unzip to together. */
  unzippedBytes: 512 * 1024 * 1024,
} as const;

export interface Table {
  format: 'csv' | 'xlsx';
  columns: string[];
  /**
   * The data rows, packed: each row's text cells as one JSON string, with its line number
   * in the file (the header is line 1). 200,000 rows of a dozen cells are 200,000 strings
   * rather than 2.4 million — what lets them fit the reader's heap and cross to the
   * request thread in one quick copy. `rowsOf` unpacks them one at a time.
   */
  rows: { lines: number[]; cells: string[] };
}

/** A table's data rows, unpacked one at a time. */
export function* rowsOf(table: Table): Generator<{ line: number; cells: string[] }> {
  for (let i = 0; i < table.rows.lines.length; i++) yield { line: table.rows.lines[i]!, cells: JSON.parse(table.rows.cells[i]!) as string[] };
}

/** Rows packed as they are read, the header first. */
class Packer {
  columns: string[] | null = null;
  readonly rows: Table['rows'] = { lines: [], cells: [] };
  add(cells: string[], line: number): void {
    checkRow(cells, line);
    if (this.columns === null) {
      this.columns = cells;
      return;
    }
    if (this.rows.lines.length >= CAPS.rows) throw rowsCap();
    this.rows.lines.push(line);
    this.rows.cells.push(JSON.stringify(cells.map(unguardFormula)));
  }
}

/** A file the reader will not read: the field it is about and what is wrong (a 422 on the request thread). */
export class ImportRefusal extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const refuse = (message: string, field = 'data_base64') => new ImportRefusal(field, message);
const rowsCap = () => refuse(`has more than ${CAPS.rows.toLocaleString('en')} rows: at most ${CAPS.rows.toLocaleString('en')} are imported at once (split the file)`);
const columnsCap = (n: number, line: number) => refuse(`has ${n.toLocaleString('en')} columns on line ${line}: at most ${CAPS.columns} are read`);
const cellCap = (line: number, column: number) => refuse(`has a cell longer than ${CAPS.cellChars.toLocaleString('en')} characters (line ${line}, column ${column})`);

function checkRow(cells: string[], line: number): void {
  if (cells.length > CAPS.columns) throw columnsCap(cells.length, line);
  for (let i = 0; i < cells.length; i++) if (cells[i]!.length > CAPS.cellChars) throw cellCap(line, i + 1);
}

/** CSV's delimiter, from the header line: the one of , ; tab that splits it most. */
function delimiterOf(header: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

export function readCsv(bytes: Buffer): Table {
  // A BOM, then `#` lines before the header (an export's details line): skipped, and counted in line numbers.
  let at = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  let skipped = 0;
  while (bytes[at] === 0x23) {
    const end = bytes.indexOf(0x0a, at);
    at = end < 0 ? bytes.length : end + 1;
    skipped += 1;
  }
  const body = bytes.subarray(at);
  let headerEnd = body.indexOf(0x0a);
  if (headerEnd < 0) headerEnd = body.length;
  const header = body.subarray(0, headerEnd).toString('utf8').replace(/\r$/, '');
  const delimiter = delimiterOf(header);
  // Counted before parsing: a header of a million columns is refused at once.
  const headerColumns = header.split(delimiter).length;
  if (headerColumns > CAPS.columns) throw columnsCap(headerColumns, skipped + 1);
  if (header.length > CAPS.lineChars) throw refuse(`has a header line of ${header.length.toLocaleString('en')} characters: at most ${CAPS.lineChars.toLocaleString('en')} are read`);
  const packer = new Packer();
  let records = 0;
  try {
    // The parser reads the bytes as they are (no copy of the file as one string); each record is packed as it ends.
    parseCsv(body, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: CAPS.lineChars,
      // A row's number is its record's (as a spreadsheet numbers it: a cell's line breaks do not count), after any `#` lines.
      on_record: (record: string[], info: { records: number }) => {
        records = info.records;
        packer.add(record, records + skipped);
        return null;
      },
    });
  } catch (e) {
    if (e instanceof ImportRefusal) throw e;
    const err = e as Error & { code?: string; lines?: number };
    // Numbered as the rows are (a spreadsheet's row, however many line breaks its cells hold).
    if (err.code === 'CSV_MAX_RECORD_SIZE') throw refuse(`has a row longer than ${CAPS.lineChars.toLocaleString('en')} characters (row ${records + 1 + skipped})`);
    throw refuse(`is not a readable CSV file: ${err.message}`);
  }
  return { format: 'csv', columns: packer.columns ?? [], rows: packer.rows };
}

/** Inflate every entry of a zip, counting: refused when one claims, or turns out, to unzip beyond the caps. */
export function checkZip(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return reject(refuse(`is not a readable Excel (.xlsx) file: ${err?.message ?? 'not a zip archive'}`));
      let total = 0;
      const fail = (e: Error) => {
        zip.close();
        reject(e);
      };
      zip.on('error', (e: Error) => fail(refuse(`is not a readable Excel (.xlsx) file: ${e.message}`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (entry.uncompressedSize > CAPS.entryBytes) return fail(refuse(`holds ${name}, which unzips to ${mb(entry.uncompressedSize)}: at most ${mb(CAPS.entryBytes)} an entry`));
        total += entry.uncompressedSize;
        if (total > CAPS.unzippedBytes) return fail(refuse(`unzips to more than ${mb(CAPS.unzippedBytes)}`));
        if (name.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(refuse(`is not a readable Excel (.xlsx) file: ${e?.message ?? name}`));
          // validateEntrySizes: a stream that inflates past what its entry claims errors at once.
          stream.on('error', (se: Error) => fail(refuse(`holds ${name}, which unzips to more than its header says (${mb(entry.uncompressedSize)}): ${se.message}`)));
          stream.on('end', () => zip.readEntry());
          stream.resume();
        });
      });
      zip.readEntry();
    });
  });
}

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024)).toLocaleString('en')} MB`;

/** An Excel cell as the text a user sees; dates as YYYY-MM-DD. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v);
}

/** The first worksheet, row by row as it streams: the caps checked on each. */
export async function readXlsx(bytes: Buffer): Promise<Table> {
  await checkZip(bytes);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'emit' });
  const packer = new Packer();
  try {
    const events = (reader as unknown as { parse(): AsyncIterable<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }> }).parse();
    for await (const { eventType, value: sheet } of events) {
      if (eventType !== 'worksheet') continue;
      for await (const row of sheet) {
        const raw = row.values as ExcelJS.CellValue[];
        if (raw.length - 1 > CAPS.columns) throw columnsCap(raw.length - 1, row.number);
        const values = Array.from({ length: Math.max(0, raw.length - 1) }, (_, i) => cellText(raw[i + 1])); // empty cells are holes in `values`
        if (values.every((v) => v === '')) continue;
        packer.add(values, row.number);
      }
      break; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof ImportRefusal) throw e;
    throw refuse(`is not a readable Excel (.xlsx) file: ${(e as Error).message}`);
  }
  if (packer.columns === null) throw refuse('has no worksheet with rows');
  return { format: 'xlsx', columns: packer.columns, rows: packer.rows };
}

/** A CSV or .xlsx file as a table, every cap checked while reading. */
export async function readImportFile(bytes: Buffer, fileName: string): Promise<Table> {
  if (!bytes.length) throw refuse('is an empty file');
  const xlsx = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (/\.xls$/i.test(fileName) && !xlsx) throw refuse('is an old Excel file (.xls): save it as .xlsx or CSV', 'file_name');
  return xlsx ? readXlsx(bytes) : readCsv(bytes);
}
