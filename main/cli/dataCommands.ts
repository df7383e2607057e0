import { idOrCode } from '../services/records.js';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import { csvOptionsInput, exportFilters, exportNames, exportTable, originOf, writeExport, type ExportName, type ExportOrigin } from '../services/exports.js';
import { parseInput } from '../domain/validation.js';
import { reportNames, type ReportName } from '../services/reports.js';
import { previewImport, runImport } from '../services/import/run.js';
import { centralReport } from '../sync/server.js';
import { bookingIdOf } from '../services/cancellations.js';
import { customerIdOf } from '../services/customers.js';
import { demandLetterPdf, statementPdf } from '../documents/documents.js';
import { writeWhole } from '../files.js';
import { xlsxExport } from '../services/xlsxExport.js';
import { dropUndefined, optionOf, str, tenantOf, writeDocument, type Command } from './options.js';

// Data in and out: exports (CSV, Excel), documents (statements, demand letters) and
// the lead import.

export const dataCommands: Record<string, Command> = {
  export: {
    usage: `milepost export NAME --tenant ID --out FILE.csv|FILE.xlsx [--from D --to D --as-of D --lead ID|CODE --customer ID|CODE --project P] [--details side|comment|none] [--delimiter ,|;] [--pg URL]
  NAME: ${exportNames.join(', ')}
  --details: what the file is (export, filters, time zone, when made) in FILE.about.json beside it (side, the default),
             in a # line before the header (comment), or nowhere (none)
  --delimiter: , or ; (default: ; with decimal commas where the tenant's locale writes decimals with a comma, else ,)
  --pg: a report over the tenant's synced data on the central Postgres (a device's or head office's URL)
  FILE.xlsx: an Excel workbook instead — dates, money and percentages as typed cells, the details on its "About" sheet`,
    options: { tenant: str, out: str, from: str, to: str, 'as-of': str, lead: str, customer: str, project: str, details: str, delimiter: str, pg: str },
    required: ['tenant', 'out'],
    run: async (m, v, positionals) => {
      const name = positionals[0];
      if (!name || !(exportNames as readonly string[]).includes(name)) {
        throw new AppError('bad_request', `export needs a NAME, one of: ${exportNames.join(', ')}`, [{ field: 'NAME', message: 'unknown export' }]);
      }
      const filters = dropUndefined({ from: v.from, to: v.to, as_of: v['as-of'], lead_id: v.lead, customer_id: v.customer, project_name: v.project }) as Record<string, string>;
      for (const key of Object.keys(filters)) {
        if (!exportFilters(name as ExportName).includes(key)) {
          throw new AppError('bad_request', `${optionOf[key]} does not apply to the ${name} export`, [{ field: key, message: 'does not apply' }]);
        }
      }
      const options = parseInput(z.strictObject(csvOptionsInput), { details: v.details ?? 'side', delimiter: v.delimiter });
      const out = path.resolve(String(v.out));
      let written: { rows: number; detailsFile?: string };
      const xlsx = /\.xlsx$/i.test(out);
      if (v.pg !== undefined) {
        if (!(reportNames as readonly string[]).includes(name)) {
          throw new AppError('bad_request', `--pg runs reports only, one of: ${reportNames.join(', ')}`, [{ field: 'NAME', message: 'not a report' }]);
        }
        const central = await centralReport(String(v.pg), tenantOf(v), name as ReportName, filters);
        // The tenant's locale (how its numbers and phones are written) from the central database where the login may read it, else this device's copy.
        const local = m.exists(tenantOf(v)) ? m.context(tenantOf(v), null).settings : null;
        const origin: ExportOrigin = {
          tenant_id: tenantOf(v), tenant_name: central.tenant.name, timezone: central.tenant.timezone, locale: central.tenant.locale ?? local?.locale ?? null, now: new Date(), source: 'central database',
        };
        if (xlsx) {
          const file = await xlsxExport(origin, name as ExportName, { ...central, filters });
          writeWhole(out, Buffer.from(file.data_base64, 'base64'));
          written = { rows: central.rows.length };
        } else written = await writeExport(out, origin, name as ExportName, { ...central, filters, options });
      } else {
        const ctx = m.context(tenantOf(v), null);
        // A lead or customer named by its code, as in the app and the API.
        if (filters.lead_id) filters.lead_id = idOrCode(ctx, 'sales_leads', 'lead_code', filters.lead_id);
        if (filters.customer_id) filters.customer_id = idOrCode(ctx, 'sales_customers', 'customer_code', filters.customer_id);
        const table = exportTable(ctx, { name, ...filters, ...dropUndefined(options) });
        if (xlsx) {
          const rows = [...table.rows];
          const file = await xlsxExport({ ...originOf(ctx), currency: ctx.settings.currency }, table.name, { ...table, rows });
          writeWhole(out, Buffer.from(file.data_base64, 'base64'));
          written = { rows: rows.length };
        } else written = await writeExport(out, originOf(ctx), table.name, table, (n) => process.stderr.write(`export: ${n} rows written\n`));
      }
      const from = v.pg !== undefined ? ' (from the central database)' : '';
      return `wrote ${written.rows} rows to ${out}${from}${written.detailsFile ? `, its details to ${written.detailsFile}` : ''}`;
    },
  },
  statement: {
    usage: `milepost statement --tenant ID --customer ID|CODE --out FILE.pdf [--from D --to D]
  A customer's statement of account as PDF: every entry of the period with its running balance, and their
  instalments as of its end (due, paid, overdue), amounts as the receivables aging gives them.`,
    options: { tenant: str, customer: str, out: str, from: str, to: str },
    required: ['tenant', 'customer', 'out'],
    fields: { customer_id: '--customer', from: '--from', to: '--to' },
    run: async (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const doc = await statementPdf(ctx, dropUndefined({ customer_id: customerIdOf(ctx, String(v.customer)), from: v.from, to: v.to }));
      return writeDocument(String(v.out), doc);
    },
  },
  'demand-letter': {
    usage: `milepost demand-letter --tenant ID --booking ID|CODE --out FILE.pdf [--as-of D]
  A booking's demand letter as PDF: its instalments due by the day, what is already paid and the total now payable.`,
    options: { tenant: str, booking: str, out: str, 'as-of': str },
    required: ['tenant', 'booking', 'out'],
    fields: { booking_id: '--booking', as_of: '--as-of' },
    run: async (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const doc = await demandLetterPdf(ctx, dropUndefined({ booking_id: bookingIdOf(ctx, String(v.booking)), as_of: v['as-of'] }));
      return writeDocument(String(v.out), doc);
    },
  },
  'import leads': {
    usage: 'milepost import leads --tenant ID --file FILE.csv|FILE.xlsx [--on-duplicate skip|merge|keep] [--map "Header=field,..."] [--create-missing] [--unassign-unknown] [--yes]\n  without --yes: prints the preview and writes nothing\n  --create-missing: create the sources and campaigns the file names that the tenant lacks\n  --unassign-unknown: import rows assigned to someone who is not an active user here unassigned',
    options: { tenant: str, file: str, 'on-duplicate': str, map: str, yes: { type: 'boolean' }, 'create-missing': { type: 'boolean' }, 'unassign-unknown': { type: 'boolean' } },
    required: ['tenant', 'file'],
    run: async (m, v) => {
      const file = path.resolve(String(v.file));
      if (!fs.existsSync(file)) throw new AppError('bad_request', `no file ${file}`, [{ field: 'file', message: 'does not exist' }]);
      const mapping = v.map === undefined ? undefined : Object.fromEntries(String(v.map).split(',').map((pair) => {
        const at = pair.lastIndexOf('=');
        if (at < 1) throw new AppError('bad_request', `--map takes "Header=field" pairs, not "${pair}"`, [{ field: 'map', message: 'must be Header=field pairs' }]);
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      }));
      const input = {
        file_name: path.basename(file), data_base64: fs.readFileSync(file).toString('base64'),
        ...(mapping ? { mapping } : {}), ...(v['on-duplicate'] === undefined ? {} : { on_duplicate: v['on-duplicate'] }),
        ...(v['create-missing'] ? { create_missing: true } : {}), ...(v['unassign-unknown'] ? { unassign_unknown: true } : {}),
      };
      const ctx = m.context(tenantOf(v), null);
      const p = await previewImport(ctx, input);
      const lines = [
        `${p.file_name}: ${p.total_rows} rows (${p.format}${p.default_country ? `, phones without a country code read as ${p.default_country}` : ''})`,
        `columns: ${Object.entries(p.mapping).map(([c, f]) => `${c} → ${f}`).join(', ')}`,
        `would create ${p.plan.create}, merge ${p.plan.merge}, skip ${p.plan.skip} duplicate(s); ${p.plan.errors} row(s) with errors`,
        ...p.missing.sources.map((x) => `  source "${x.source_name}" (${x.source_type}) is not in this tenant: ${x.rows} row(s)${v['create-missing'] ? ' → created' : ' (--create-missing creates it)'}`),
        ...p.missing.campaigns.map((x) => `  campaign ${x.campaign_code} "${x.campaign_name}" is not in this tenant: ${x.rows} row(s)${v['create-missing'] ? ' → created' : ' (--create-missing creates it)'}`),
        ...p.missing.users.map((x) => `  "${x.username}" is not an active user here: ${x.rows} row(s)${v['unassign-unknown'] ? ' → imported unassigned' : ' (--unassign-unknown imports them unassigned)'}`),
        ...p.duplicates.map((d) => `  row ${d.row} "${d.name}": same ${d.kind.replace('_', ' and ')} as ${d.lead_id ? `lead ${d.lead_id} "${d.lead_name}"` : `row ${d.file_row}`} → ${d.action}`),
        ...p.errors.map((e) => `  row ${e.row}: ${e.field} ${e.message}`),
      ];
      if (!v.yes) return [...lines, 'nothing written: run again with --yes to import'].join('\n');
      const r = await runImport(ctx, input, (done, total) => process.stderr.write(`import: ${done} of ${total} rows\n`));
      return [...lines, `imported: created ${r.created}, merged ${r.merged}, skipped ${r.skipped}; ${r.error_rows} row(s) not imported for errors`].join('\n');
    },
  },
};
