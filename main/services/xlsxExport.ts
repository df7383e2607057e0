import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { localDateTimeOf } from '../../db/values/dates.js';
import type { CsvShape } from '../csv/csvWriter.js';
import { exportDetails, readablePhones, type ExportName, type ExportOrigin } from './exports.js';

// Every report and list as an Excel workbook beside its CSV, with typed cells —
// calendar dates as dates, instants as the tenant's local date and time, money as numbers
// in the currency's format, percentages as percentages, counts as numbers — and what the
// file is (export, filters, time zone, when made) on a second sheet, "About".

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface XlsxFile {
  file_name: string;
  content_type: typeof XLSX_TYPE;
  data_base64: string;
}

interface XlsxTable {
  rows: Iterable<Record<string, unknown>>;
  shape: CsvShape;
  filters: Record<string, string>;
}

/** Columns holding percentages (0–100 in Milepost, a fraction in Excel): rates, ROI, efficiency, shares. */
const PERCENT = /(^|_)(rate|roi|efficiency|share|quality|collection)(_this_month|_last_month)?$/;
/** Percentage points (a change in a rate). */
const POINTS = /_(trend|change)(_pts)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export type CellKind = 'money' | 'percent' | 'points' | 'date' | 'instant' | 'number' | 'boolean' | 'text';

/** What a column holds, by the shape and its name; `date` and `instant` are told by each value. */
export function columnKind(column: string, shape: CsvShape): CellKind | null {
  if (shape.money?.includes(column)) return 'money';
  if (POINTS.test(column)) return 'points';
  if (PERCENT.test(column)) return 'percent';
  return null;
}

/** A cell's value and format: typed where the column or the value says what it is. */
export function typedCell(value: unknown, kind: CellKind | null, timezone: string): { value: ExcelJS.CellValue; numFmt?: string } {
  if (value === null || value === undefined || value === '') return { value: null };
  if (typeof value === 'boolean') return { value };
  if (typeof value === 'number') {
    if (kind === 'money') return { value, numFmt: 'money' };
    if (kind === 'percent') return { value: Math.round(value * 100) / 10_000, numFmt: '0.00%' };
    if (kind === 'points') return { value, numFmt: '+0.00" pts";-0.00" pts";0.00" pts"' };
    return { value, numFmt: Number.isInteger(value) ? '#,##0' : '#,##0.00' };
  }
  if (typeof value === 'string') {
    // A calendar date is that day, not an instant: midnight UTC, as Excel keeps no zone.
    if (DATE.test(value)) return { value: new Date(`${value}T00:00:00Z`), numFmt: 'yyyy-mm-dd' };
    // An instant as the tenant's clock read it.
    if (INSTANT.test(value)) {
      const local = localDateTimeOf(new Date(value), timezone).slice(0, 19);
      return { value: new Date(`${local}Z`), numFmt: 'yyyy-mm-dd hh:mm:ss' };
    }
    return { value };
  }
  return { value: JSON.stringify(value) };
}

/** The currency's number format: its sign, grouping, two decimals, negatives with a minus. */
function moneyFormat(locale: string | null, currency: string | null): string {
  if (!currency) return '#,##0.00';
  let sign = currency;
  try {
    sign = new Intl.NumberFormat(locale ?? 'en', { style: 'currency', currency }).formatToParts(1).find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    /* an unknown currency code: its letters */
  }
  const quoted = `"${sign.replace(/"/g, '')}"`;
  return `${quoted}#,##0.00;-${quoted}#,##0.00`;
}

/** A table as an .xlsx workbook: the rows on one sheet (typed, the header frozen and filterable), the details on "About". */
export async function xlsxExport(origin: ExportOrigin & { currency?: string | null }, name: ExportName, table: XlsxTable): Promise<XlsxFile> {
  // Written as a stream, each row committed as it is made: a branch's 100,000 leads never sit in memory as cell objects.
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Milepost';
  workbook.created = origin.now;
  const sheet = workbook.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const { columns } = table.shape;
  const kinds = columns.map((c) => columnKind(c, table.shape));
  const money = moneyFormat(origin.locale, origin.currency ?? null);
  sheet.columns = columns.map((c) => ({ header: c, key: c, width: Math.min(40, Math.max(10, c.length + 2)) }));
  sheet.getRow(1).font = { bold: true };
  if (columns.length) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  sheet.getRow(1).commit();
  let count = 0;
  // A phone is text, as the tenant's country writes it (never 9.8E+09): the CSV's reading.
  for (const row of readablePhones(table.rows, columns, origin.locale)) {
    count += 1;
    const added = sheet.addRow([]);
    columns.forEach((c, i) => {
      const { value, numFmt } = typedCell(row[c], kinds[i] ?? null, origin.timezone);
      const cell = added.getCell(i + 1);
      cell.value = value;
      if (numFmt) cell.numFmt = numFmt === 'money' ? money : numFmt;
    });
    added.commit();
  }
  sheet.commit();

  const details = exportDetails(origin, name, table.filters, table.shape, { delimiter: ',', decimal: '.' } as never);
  const about = workbook.addWorksheet('About');
  about.columns = [{ header: 'What', key: 'what', width: 18 }, { header: 'Value', key: 'value', width: 70 }];
  about.getRow(1).font = { bold: true };
  const filters = Object.entries(details.filters).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
  for (const [what, value] of [
    ['export', details.export], ['tenant', details.tenant_name ? `${details.tenant_name} (${details.tenant_id})` : details.tenant_id], ['filters', filters], ['time zone', details.time_zone],
    ['generated', details.generated_at], ['source', details.source], ['rows', count], ['currency', origin.currency ?? ''], ['columns', columns.join(', ')],
  ] as const) about.addRow({ what, value }).commit();
  about.commit();
  await workbook.commit();
  return { file_name: `${name}.xlsx`, content_type: XLSX_TYPE, data_base64: Buffer.concat(chunks).toString('base64') };
}
