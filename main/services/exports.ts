import { z } from 'zod';
import { csvFormatFor, DELIMITERS, toCsv, writeCsvFile, type CsvFormat, type CsvOptions, type CsvShape } from '../csv/csvWriter.js';
import { writeWhole } from '../files.js';
import type { ServiceContext } from '../domain/context.js';
import { localDateTimeOf } from '../../db/values/dates.js';
import { AppError } from '../domain/errors.js';
import { xlsxExport, type XlsxFile } from './xlsxExport.js';
import { countryOfLocale, phoneText } from '../domain/phone.js';
import { localDate, recordId, text, parsing } from '../domain/validation.js';
import { rawListFilterNames, rawListNames, rawListRows, type RawListName } from './rawLists.js';
import { reportNames, reports, reportQuery, reportTable, type ReportName } from './reports.js';

// SPEC §6 exports: a report or a raw list, by its route name, as rows with their CSV
// shape. The CLI writes them to a file; the app downloads or saves them.
//
// Exports a manager trusts: each file can say what it is — the export, its
// filters, the tenant's time zone and when it was made — in a `#` line before the
// header or in a side file `NAME.about.json` beside it; and its delimiter follows the
// tenant's locale (`;` with decimal commas where the decimal separator is a comma).

export const exportNames = [...reportNames, ...rawListNames] as const;
export type ExportName = ReportName | RawListName;

/** Where an export's details go: a `#` line before the header, a side file, or nowhere. */
export const EXPORT_DETAILS = ['comment', 'side', 'none'] as const;
export type ExportDetailsMode = (typeof EXPORT_DETAILS)[number];

/** How a CSV is written, beyond its rows: its details and its delimiter. */
export const csvOptionsInput = {
  details: z.enum(EXPORT_DETAILS, { error: 'must be comment, side or none' }).optional(),
  delimiter: z.enum(DELIMITERS, { error: 'must be , or ;' }).optional(),
};
export type CsvExportOptions = z.output<z.ZodObject<typeof csvOptionsInput>>;

export const exportInput = z.strictObject({
  name: z.enum(exportNames as unknown as [ExportName, ...ExportName[]], { error: `must be one of: ${exportNames.join(', ')}` }),
  from: localDate().optional(),
  to: localDate().optional(),
  as_of: localDate().optional(),
  lead_id: recordId().optional(),
  customer_id: recordId().optional(),
  project_name: text(200).optional(),
  buckets: z.string().max(100).optional(),
  // A list exported from a screen carries the screen's search and filters.
  search: text(200).optional(),
  status: text(40).optional(),
  assigned_to: text(200).optional(),
  source_id: recordId().optional(),
  campaign_id: recordId().optional(),
  ...csvOptionsInput,
});

/** Which filters an export takes; a filter it does not take is refused, not ignored. */
export function exportFilters(name: ExportName): string[] {
  const isReport = (reportNames as string[]).includes(name);
  return isReport ? Object.keys(reports[name as ReportName].input.shape) : [...rawListFilterNames(name as RawListName)];
}

export interface ExportTable {
  name: ExportName;
  rows: Iterable<Record<string, unknown>>;
  shape: CsvShape;
  /** The filters given (none undefined). */
  filters: Record<string, string>;
  options: CsvExportOptions;
}

export const exportTable = parsing(exportInput, (ctx: ServiceContext, { name, details, delimiter, ...given }): ExportTable => {
  const accepted = exportFilters(name);
  const filters: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!accepted.includes(key)) {
      throw new AppError('validation_failed', `${key} does not apply to the ${name} export`, [{ field: key, message: `does not apply to the ${name} export` }]);
    }
    filters[key] = value;
  }
  const table = (reportNames as string[]).includes(name) ? reportTable(ctx, name as ReportName, reportQuery(name as ReportName, filters)) : rawListRows(ctx, name as RawListName, filters);
  return { ...table, name, filters, options: { details, delimiter } };
});

/** Whose data an export is and when it is made: this device's tenant, or the central database's. */
export interface ExportOrigin {
  tenant_id: string;
  tenant_name: string | null;
  timezone: string;
  /** The tenant's locale; null where it is not known (a central report). */
  locale: string | null;
  now: Date;
  source: 'this device' | 'central database';
}

export const originOf = (ctx: ServiceContext): ExportOrigin => ({
  tenant_id: ctx.settings.tenant_id,
  tenant_name: ctx.settings.name,
  timezone: ctx.settings.timezone,
  locale: ctx.settings.locale,
  now: ctx.clock(),
  source: 'this device',
});

/** What a file holds, written into it or beside it. */
export interface ExportDetails {
  export: ExportName;
  tenant_id: string;
  tenant_name: string | null;
  /** The filters given, and the as-of date the export used when it takes one. */
  filters: Record<string, string>;
  time_zone: string;
  generated_at: string;
  source: ExportOrigin['source'];
  locale: string | null;
  delimiter: string;
  decimal_separator: string;
  columns: string[];
}

export function exportDetails(origin: ExportOrigin, name: ExportName, filters: Record<string, string>, shape: CsvShape, format: CsvFormat): ExportDetails {
  const generatedAt = localDateTimeOf(origin.now, origin.timezone);
  const asOfUsed = exportFilters(name).includes('as_of') && !filters.as_of;
  return {
    export: name,
    tenant_id: origin.tenant_id,
    tenant_name: origin.tenant_name,
    filters: asOfUsed ? { ...filters, as_of: generatedAt.slice(0, 10) } : { ...filters },
    time_zone: origin.timezone,
    generated_at: generatedAt,
    source: origin.source,
    locale: origin.locale,
    delimiter: format.delimiter,
    decimal_separator: format.decimal,
    columns: [...shape.columns],
  };
}

/** The details as the `#` line before the header. */
export function detailsLine(d: ExportDetails): string {
  const filters = Object.entries(d.filters).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
  const tenant = d.tenant_name ? `${d.tenant_name} (${d.tenant_id})` : d.tenant_id;
  return `Milepost export: ${d.export} | tenant: ${tenant} | filters: ${filters} | time zone: ${d.time_zone} | generated: ${d.generated_at} | source: ${d.source}`;
}

/** The details as the side file's text, with the number of rows written. */
export const detailsFile = (d: ExportDetails, rows: number) => `${JSON.stringify({ ...d, rows }, null, 2)}\n`;

/** `funnel.csv` → `funnel.about.json`: the side file's name beside its CSV. */
export const detailsFileName = (csvFile: string) => `${csvFile.replace(/\.csv$/i, '')}.about.json`;

export interface CsvExport {
  filename: string;
  csv: string;
  /** The side file, when the details go beside the CSV. */
  details?: { filename: string; text: string };
}

/** A finished export handed to the desktop's save dialog (checked: it crosses from the renderer). */
export const csvExportInput = z.strictObject({
  filename: z.string({ error: 'must be a file name' }).min(1).max(255),
  csv: z.string({ error: 'must be CSV text' }),
  details: z.strictObject({ filename: z.string().min(1).max(255), text: z.string() }).optional(),
});

type Exportable = Pick<ExportTable, 'rows' | 'shape' | 'filters' | 'options'>;

/** The format, the details and the writer's options of one export. */
function prepare(origin: ExportOrigin, name: ExportName, table: Exportable): { details: ExportDetails; csv: CsvOptions } {
  const format = csvFormatFor(origin.locale ?? 'en', table.options.delimiter);
  const details = exportDetails(origin, name, table.filters, table.shape, format);
  return { details, csv: { format, ...(table.options.details === 'comment' ? { comment: detailsLine(details) } : {}) } };
}

/**
 * Phone numbers as a spreadsheet reads them — the tenant's country's in its
 * national format (98450 12345: text, not 9.8E+09, no apostrophe shown), others
 * international (guarded as any cell starting with +). The import reads both back.
 */
export function* readablePhones(rows: Iterable<Record<string, unknown>>, columns: readonly string[], locale: string | null): Iterable<Record<string, unknown>> {
  const phones = columns.filter((c) => c === 'phone' || c.endsWith('_phone'));
  if (!phones.length || !locale) return yield* rows;
  const country = countryOfLocale(locale);
  for (const row of rows) {
    for (const c of phones) if (typeof row[c] === 'string') row[c] = phoneText(row[c] as string, country);
    yield row;
  }
}

/** A table as a whole export in memory: its CSV in the locale's format, its details where asked. */
export function csvExport(origin: ExportOrigin, name: ExportName, table: Exportable): CsvExport {
  const { details, csv: options } = prepare(origin, name, table);
  const rows = [...readablePhones(table.rows, table.shape.columns, origin.locale)];
  const filename = `${name}.csv`;
  const csv = toCsv(rows, table.shape, options);
  return { filename, csv, ...(table.options.details === 'side' ? { details: { filename: detailsFileName(filename), text: detailsFile(details, rows.length) } } : {}) };
}

/**
 * A table streamed to a file (the CLI: raw lists of any size), and its side file
 * beside it when asked, written once the CSV is complete.
 */
export async function writeExport(file: string, origin: ExportOrigin, name: ExportName, table: Exportable, onProgress?: (written: number) => void): Promise<{ rows: number; detailsFile?: string }> {
  const { details, csv: options } = prepare(origin, name, table);
  const rows = await writeCsvFile(file, readablePhones(table.rows, table.shape.columns, origin.locale), table.shape, onProgress, options);
  if (table.options.details !== 'side') return { rows };
  const side = detailsFileName(file);
  writeWhole(side, detailsFile(details, rows));
  return { rows, detailsFile: side };
}

/** The `exports.xlsx` operation: the same rows as the CSV in an Excel workbook, typed, the details on a second sheet. */
export const exportXlsx = parsing(exportInput, async (ctx: ServiceContext, request): Promise<XlsxFile> => {
  const table = exportTable.parsed(ctx, request);
  return xlsxExport({ ...originOf(ctx), currency: ctx.settings.currency }, table.name, table);
});

/** The `exports.csv` operation: a report or raw list, with its details where asked (none unless asked). */
export const exportCsv = parsing(exportInput, (ctx: ServiceContext, request): CsvExport => {
  const table = exportTable.parsed(ctx, request);
  return csvExport(originOf(ctx), table.name, table);
});
