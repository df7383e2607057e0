import { z } from 'zod';
import type { CsvShape } from '../csv/csvWriter.js';
import type { ServiceContext } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { localDate, parseInput, recordId } from '../domain/validation.js';
import { rawListFilters, rawListNames, rawListRows, type RawListName } from './rawLists.js';
import { reportNames, reports, reportTable, type ReportName } from './reports.js';

// SPEC §6 exports: a report or a raw list, by its route name, as rows with their CSV
// shape. The CLI writes them to a file; the app downloads or saves them.

export const exportNames = [...reportNames, ...rawListNames] as const;
export type ExportName = ReportName | RawListName;

export const exportInput = z.strictObject({
  name: z.enum(exportNames as unknown as [string, ...string[]], { error: `must be one of: ${exportNames.join(', ')}` }),
  from: localDate().optional(),
  to: localDate().optional(),
  as_of: localDate().optional(),
  lead_id: recordId().optional(),
  customer_id: recordId().optional(),
});

/** Which filters an export takes; a filter it does not take is refused, not ignored. */
export function exportFilters(name: ExportName): string[] {
  const isReport = (reportNames as string[]).includes(name);
  return Object.keys(isReport ? reports[name as ReportName].input.shape : rawListFilters.shape);
}

export function exportTable(ctx: ServiceContext, input: unknown): { rows: Iterable<Record<string, unknown>>; shape: CsvShape; name: ExportName } {
  const { name, ...filters } = parseInput(exportInput, input) as { name: ExportName } & Record<string, string | undefined>;
  const accepted = exportFilters(name);
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && !accepted.includes(key)) {
      throw new AppError('validation_failed', `${key} does not apply to the ${name} export`, [{ field: key, message: `does not apply to the ${name} export` }]);
    }
  }
  const table = (reportNames as string[]).includes(name) ? reportTable(ctx, name as ReportName, filters) : rawListRows(ctx, name as RawListName, filters);
  return { ...table, name };
}
