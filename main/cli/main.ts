import { unreadablePhones } from '../services/phones.js';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { backupTenant, restoreTenant } from '../backup.js';
import { z } from 'zod';
import { startServer } from '../http/server.js';
import { DEMO_REPS, runDemo } from '../demo/demoData.js';
import { AppError } from '../domain/errors.js';
import { csvOptionsInput, exportFilters, exportNames, exportTable, originOf, writeExport, type ExportName, type ExportOrigin } from '../services/exports.js';
import { parseInput } from '../domain/validation.js';
import { createTenant, updateSettings } from '../services/tenantSetup.js';
import { addUser, listUsers, updateUser, userIdOf } from '../services/users.js';
import { assertTenantId, resolveDataDir, TenantManager } from '../tenants.js';
import { reportNames, type ReportName } from '../services/reports.js';
import { syncReport, syncTenant } from '../services/sync.js';
import { previewImport, runImport } from '../services/import/run.js';
import { addTenant, centralReport, initServer } from '../sync/server.js';
import { syncConfigInput } from '../sync/runtime.js';
import { createUnits, listUnits, projectTowers } from '../services/units.js';
import { bookingIdOf, cancelBooking } from '../services/bookings.js';
import { customerIdOf } from '../services/customers.js';
import { demandLetterPdf, statementPdf } from '../documents/documents.js';
import { writeWhole } from '../files.js';
import { xlsxExport } from '../services/xlsxExport.js';
import { unitStatuses } from '../../db/schema/enums.js';

// SPEC §6 CLI. Errors go to stderr with a non-zero exit; every command writes all or nothing.

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;
type Output = { write(text: string): unknown };

interface Command {
  usage: string;
  options: Options;
  required: string[];
  run: (manager: TenantManager, v: Values, positionals: string[], out: Output) => Promise<string> | string;
  /** The option that gives each input field, so an error names what the user typed. */
  fields?: Record<string, string>;
}

const str = { type: 'string' } as const;
const common: Options = { 'data-dir': str, help: { type: 'boolean', short: 'h' } };


const commands: Record<string, Command> = {
  'tenant create': {
    usage: 'milepost tenant create --tenant ID --name NAME --admin USER --password PW [--timezone TZ] [--currency CUR] [--locale LOC]',
    options: { tenant: str, name: str, admin: str, password: str, timezone: str, currency: str, locale: str },
    required: ['tenant', 'name', 'admin', 'password'],
    run: (m, v) => {
      const r = createTenant(m, {
        tenant_id: v.tenant, name: v.name, admin_username: v.admin, admin_password: v.password,
        timezone: v.timezone, currency: v.currency, locale: v.locale,
      });
      return `created tenant ${r.tenant_id} at ${path.join(m.dataDir, 'tenants', `${r.tenant_id}.sqlite`)} with admin user ${String(v.admin)}`;
    },
  },
  'tenant set': {
    usage: 'milepost tenant set --tenant ID [--name N] [--timezone TZ] [--currency C] [--locale L] [--hold-hours H] [--demand-notice-days D] [--rep-scope own|all]',
    options: { tenant: str, name: str, timezone: str, currency: str, locale: str, 'hold-hours': str, 'demand-notice-days': str, 'rep-scope': str },
    required: ['tenant'],
    fields: { hold_hours: 'hold-hours', demand_notice_days: 'demand-notice-days', rep_scope: 'rep-scope' },
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const s = updateSettings(ctx, {
        name: v.name, timezone: v.timezone, currency: v.currency, locale: v.locale, hold_hours: numberOf(v['hold-hours']), demand_notice_days: numberOf(v['demand-notice-days']),
        rep_scope: v['rep-scope'],
      });
      return Object.entries(s).map(([k, x]) => `${k}\t${String(x)}`).join('\n');
    },
  },
  'user add': {
    usage: 'milepost user add --tenant ID --username U --password PW --role admin|manager|sales_rep [--display-name NAME]',
    options: { tenant: str, username: str, password: str, role: str, 'display-name': str },
    required: ['tenant', 'username', 'password', 'role'],
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const u = addUser(ctx, { username: v.username, password: v.password, role: v.role, display_name: v['display-name'] });
      return `added ${u.role} ${u.username} (${u.id}) to tenant ${ctx.settings.tenant_id}`;
    },
  },
  'user list': {
    usage: 'milepost user list --tenant ID [--all]',
    options: { tenant: str, all: { type: 'boolean' } },
    required: ['tenant'],
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const rows: string[] = [];
      for (let offset: number | null = 0; offset !== null;) {
        const page = listUsers(ctx, { include_inactive: Boolean(v.all), limit: 500, offset });
        rows.push(...page.items.map((u) => `${u.username}\t${u.role}\t${u.active ? 'active' : 'inactive'}\t${u.display_name ?? ''}`));
        offset = page.next_offset;
      }
      return rows.length ? rows.join('\n') : 'no users';
    },
  },
  'user set-role': userChange('milepost user set-role --tenant ID --username U --role admin|manager|sales_rep', { role: str },
    (v) => ({ role: v.role }), (u) => `${u.username} is now ${u.role}; their sessions have ended`),
  'user deactivate': userChange('milepost user deactivate --tenant ID --username U', {},
    () => ({ active: false }), (u) => `${u.username} is deactivated; their sessions have ended`),
  'user activate': userChange('milepost user activate --tenant ID --username U', {},
    () => ({ active: true }), (u) => `${u.username} is active again`),
  'user reset-password': userChange('milepost user reset-password --tenant ID --username U --password PW', { password: str },
    (v) => ({ password: v.password }), (u) => `${u.username}'s password is set; their sessions have ended`),
  demo: {
    usage: 'milepost demo --tenant ID [--leads N] [--seed S] [--today YYYY-MM-DD] [--rep-password PW]',
    options: { tenant: str, leads: str, seed: str, today: str, 'rep-password': str },
    required: ['tenant'],
    fields: { password: 'rep-password' },
    run: (m, v) => {
      const summary = runDemo(m.context(tenantOf(v), null), {
        leads: integerOption(v, 'leads', 500),
        seed: integerOption(v, 'seed', 1),
        today: v.today as string | undefined,
        repPassword: v['rep-password'] as string | undefined,
        onProgress: (done, total) => process.stderr.write(`demo: ${done}/${total} leads\n`),
      });
      const reps = summary.reps && !v['rep-password']
        ? `\nthe leads are assigned to sales reps ${DEMO_REPS.join(', ')}; to sign in as one: milepost user reset-password --tenant ${tenantOf(v)} --username ${DEMO_REPS[0]} --password …`
        : '';
      return `demo data for ${tenantOf(v)}: ${Object.entries(summary).map(([k, n]) => `${n} ${k}`).join(', ')}${reps}`;
    },
  },
  export: {
    usage: `milepost export NAME --tenant ID --out FILE.csv|FILE.xlsx [--from D --to D --as-of D --lead ID --customer ID --project P] [--details side|comment|none] [--delimiter ,|;] [--pg URL]
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
  'units add': {
    usage: `milepost units add --tenant ID --project P --type TYPE --floor-from N --floor-to N --per-floor N [--tower T] [--numbering PATTERN] [--price AMOUNT] [--area SQFT]
  Makes a tower's units in one go: floors × units per floor, numbered by PATTERN ({floor}{unit:02} by default:
  floors 1–20 with 8 per floor → 101 … 2008). Project and type must be in the unit inventory; a number taken refuses them all.`,
    options: { tenant: str, project: str, type: str, tower: str, 'floor-from': str, 'floor-to': str, 'per-floor': str, numbering: str, price: str, area: str },
    required: ['tenant', 'project', 'type', 'floor-from', 'floor-to', 'per-floor'],
    fields: {
      project_name: '--project', unit_type: '--type', tower: '--tower', floor_from: '--floor-from', floor_to: '--floor-to',
      units_per_floor: '--per-floor', numbering: '--numbering', list_price: '--price', carpet_area_sqft: '--area', unit_number: 'a unit number',
    },
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const towers = v.tower === undefined ? projectTowers(ctx, String(v.project)) : [];
      const r = createUnits(ctx, dropUndefined({
        project_name: v.project, tower: v.tower, unit_type: v.type, numbering: v.numbering,
        floor_from: numberOf(v['floor-from']), floor_to: numberOf(v['floor-to']), units_per_floor: numberOf(v['per-floor']),
        list_price: numberOf(v.price), carpet_area_sqft: numberOf(v.area),
      }));
      const first = r.units[0]!;
      const added = `added ${r.created} unit${r.created === 1 ? "" : "s"} to ${first.project_name}${first.tower ? ` ${first.tower}` : ''} (${first.unit_type}): ${first.unit_number} … ${r.units.at(-1)!.unit_number}`;
      // Units without a tower in a project built in towers are more often a forgotten --tower than meant.
      return towers.length ? `${added}\nnote: no --tower given, so these units are in no tower; ${first.project_name}'s other units are in ${towers.join(', ')}` : added;
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
  'booking cancel': {
    usage: `milepost booking cancel --tenant ID --booking ID|CODE --reason TEXT [--forfeiture AMOUNT] [--refund AMOUNT] [--date YYYY-MM-DD]
  Cancels a booking by SPEC §10's money rule: a credit note of the booking amount less the forfeiture, and a refund
  entry for what is paid back now (at most what was received on the booking less the forfeiture). Prints the
  balance the customer is left with on the booking.`,
    options: { tenant: str, booking: str, reason: str, forfeiture: str, refund: str, date: str },
    required: ['tenant', 'booking', 'reason'],
    fields: { forfeiture_amount: '--forfeiture', refund_amount: '--refund', cancellation_date: '--date', cancellation_reason: '--reason' },
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const id = bookingIdOf(ctx, String(v.booking));
      const r = cancelBooking(ctx, id, dropUndefined({
        cancellation_reason: v.reason, cancellation_date: v.date, forfeiture_amount: numberOf(v.forfeiture), refund_amount: numberOf(v.refund),
      }));
      const entries = r.ledger_entries.map((e) => `${e.transaction_type} ${e.ledger_code} ${formatAmount(e.debit_amount || e.credit_amount)}`).join(', ');
      const left = r.balance_after === 0 ? 'nothing is owed on it' : r.balance_after < 0 ? `${formatAmount(-r.balance_after)} is still to be paid back` : `${formatAmount(r.balance_after)} is still owed`;
      return `cancelled ${r.booking.booking_code}${entries ? `: ${entries}` : ''}; ${left}`;
    },
  },
  'check phones': {
    usage: 'milepost check phones --tenant ID   (the phone numbers kept as typed because they cannot be read: put them right in the app)',
    options: { tenant: str },
    required: ['tenant'],
    run: (m, v) => {
      const bad = unreadablePhones(m.context(tenantOf(v), null));
      if (!bad.length) return 'every phone number is readable';
      return [`${bad.length} phone number(s) cannot be read as a number of any country:`, 'kind\tcode\tname\tphone as typed\tid', ...bad.map((b) => [b.kind, b.code ?? '-', b.name, b.phone, b.id].join('\t'))].join('\n');
    },
  },
  'units list': {
    usage: `milepost units list --tenant ID [--project P] [--tower T] [--type TYPE] [--status ${unitStatuses.join('|')}]`,
    options: { tenant: str, project: str, tower: str, type: str, status: str },
    required: ['tenant'],
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const lines: string[] = [];
      let offset: number | null = 0;
      while (offset !== null) {
        const page = listUnits(ctx, dropUndefined({ project_name: v.project, tower: v.tower, unit_type: v.type, status: v.status, limit: 500, offset }));
        for (const u of page.items) lines.push([u.id, u.project_name, u.tower || '-', u.floor, u.unit_number, u.unit_type, u.status, u.list_price ?? ''].join('\t'));
        offset = page.next_offset;
      }
      return lines.length ? ['id\tproject\ttower\tfloor\tunit\ttype\tstatus\tlist_price', ...lines].join('\n') : 'no units';
    },
  },
  serve: {
    usage: 'milepost serve [--host 127.0.0.1] [--port 0]',
    options: { host: str, port: str },
    required: [],
    run: async (m, v, _positionals, out) => {
      const port = integerOption(v, 'port', 0);
      if (port > 65_535) throw new AppError('validation_failed', '--port must be at most 65535', [{ field: 'port', message: 'must be at most 65535' }]);
      const server = await startServer(m, { host: (v.host as string | undefined) ?? '127.0.0.1', port });
      out.write(`listening on ${server.url}\n`);
      // Which data it serves: signing in to a tenant of another folder would only say the password is wrong.
      const tenants = fs.existsSync(path.join(m.dataDir, 'tenants'))
        ? fs.readdirSync(path.join(m.dataDir, 'tenants')).filter((f) => f.endsWith('.sqlite')).map((f) => f.slice(0, -'.sqlite'.length)).sort()
        : [];
      out.write(`data folder ${m.dataDir}: ${tenants.length ? `tenants ${tenants.join(', ')}` : 'no tenants yet (milepost tenant create --tenant ID …)'}\n`);
      // Serve until asked to stop; then close the server and every database (WAL checkpointed).
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      return 'stopped';
    },
  },
  'server init': {
    usage: 'milepost server init --pg ADMIN_URL',
    options: { pg: str },
    required: ['pg'],
    run: async (_m, v) => {
      const r = await initServer(String(v.pg));
      return `created the Milepost schema (tenant schema version ${r.schema_version}, ${r.statements} statements)`;
    },
  },
  'server add-tenant': {
    usage: 'milepost server add-tenant --pg ADMIN_URL --tenant ID --password PW [--name NAME] [--device NAME]',
    options: { pg: str, tenant: str, password: str, name: str, device: str },
    required: ['pg', 'tenant', 'password'],
    run: async (_m, v) => {
      const r = await addTenant(String(v.pg), { tenant: tenantOf(v), password: String(v.password), name: v.name as string | undefined, device: v.device as string | undefined });
      return `tenant ${tenantOf(v)}: login role ${r.role}\ndevices connect with: ${r.url}`;
    },
  },
  sync: {
    usage: 'milepost sync --tenant ID --pg URL [--pull-page N]\n  --pull-page: rows a pull asks for at a time (default 2000)',
    options: { tenant: str, pg: str, 'pull-page': str },
    required: ['tenant', 'pg'],
    run: async (m, v) => {
      const { url } = parseInput(syncConfigInput.pick({ url: true }), { url: v.pg });
      const pullPage = integerOption(v, 'pull-page', 2000);
      if (pullPage < 1 || pullPage > 10_000) throw new AppError('validation_failed', '--pull-page must be from 1 to 10000', [{ field: 'pull-page', message: 'must be from 1 to 10000' }]);
      const s = await syncTenant(m, tenantOf(v), {
        url,
        pullPage,
        onProgress: (p) => process.stderr.write(`sync: ${p.phase}${p.phase === 'connect' ? '' : ` (pushed ${p.pushed}, pulled ${p.pulled})`}\n`),
        onWait: (holder) => process.stderr.write(`sync: waiting for another sync of this tenant to end (${holder})\n`),
      });
      return syncReport(tenantOf(v), s).join('\n');
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
  backup: {
    usage: 'milepost backup --tenant ID --out FILE',
    options: { tenant: str, out: str },
    required: ['tenant', 'out'],
    run: (m, v) => {
      const { files } = backupTenant(m, tenantOf(v), String(v.out));
      return `backed up tenant ${tenantOf(v)} to ${path.resolve(String(v.out))} (database and ${files} file${files === 1 ? '' : 's'}: visit photos)`;
    },
  },
  restore: {
    usage: 'milepost restore --tenant ID --from FILE',
    options: { tenant: str, from: str },
    required: ['tenant', 'from'],
    run: (m, v) => {
      const r = restoreTenant(m, tenantOf(v), String(v.from));
      const kept = [r.safety_copy && `previous database kept at ${r.safety_copy}`, r.files_safety_copy && `previous files at ${r.files_safety_copy}`].filter(Boolean);
      return `restored tenant ${tenantOf(v)} from ${path.resolve(String(v.from))}${kept.length ? ` (${kept.join('; ')})` : ''}`;
    },
  },
};

const optionOf: Record<string, string> = { from: '--from', to: '--to', as_of: '--as-of', lead_id: '--lead', customer_id: '--customer', project_name: '--project' };

const tenantOf = (v: Values) => assertTenantId(v.tenant);

/** A document written where the user asked. */
function writeDocument(out: string, doc: { file_name: string; data_base64: string }): string {
  const file = path.resolve(out);
  const bytes = Buffer.from(doc.data_base64, 'base64');
  writeWhole(file, bytes);
  return `wrote ${file} (${bytes.length} bytes)`;
}

/** Money as the CLI prints it: two decimals. */
const formatAmount = (n: number) => n.toFixed(2);

/** `--floor-from -2` as `--floor-from=-2`: a negative number after an option is its value, not another option. */
const withNegativeValues = (args: string[]) =>
  args.reduce<string[]>((out, a, i) => {
    const prev = out[out.length - 1];
    if (i > 0 && /^-\d/.test(a) && prev?.startsWith('--') && !prev.includes('=') && prev !== '--') out[out.length - 1] = `${prev}=${a}`;
    else out.push(a);
    return out;
  }, []);

/** An error's message with the input field it names given as the option the user typed (`list_price` → `--price`). */
/** A change to one user found by username (in any case): each ends that user's sessions. */
function userChange(usage: string, options: Options, change: (v: Values) => Record<string, unknown>, said: (u: { username: string; role: string }) => string): Command {
  return {
    usage,
    options: { tenant: str, username: str, ...options },
    required: ['tenant', 'username', ...Object.keys(options)],
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      return said(updateUser(ctx, userIdOf(ctx, v.username as string), change(v)));
    },
  };
}

function inOptionWords(e: AppError, fields: Record<string, string> = {}): string {
  const field = e.details[0]?.field;
  const option = field === undefined ? undefined : fields[field];
  return option ? e.message.replace(new RegExp(`\\b${field}\\b`, 'g'), option) : e.message;
}

/** An option that is a number in the input's schema: passed as a number when it reads as one, else as given (the schema names it). */
const numberOf = (x: string | boolean | undefined) => (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x)) ? Number(x) : x);

function integerOption(v: Values, name: string, fallback: number): number {
  if (v[name] === undefined) return fallback;
  const n = Number(v[name]);
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError('validation_failed', `--${name} must be a whole number`, [{ field: name, message: 'must be a whole number' }]);
  return n;
}

const dropUndefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));

function helpText(): string {
  return ['usage:', ...Object.values(commands).map((c) => `  ${c.usage}`), '', 'every command takes --data-dir DIR (else MILEPOST_DATA_DIR, else the app-data folder)'].join('\n');
}

/** Run the CLI; returns the exit code (0 ok, 1 failed, 2 usage or invalid input). */
export async function main(argv: string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const two = argv.slice(0, 2).join(' ');
  const key = commands[two] ? two : argv[0] ?? '';
  const command = commands[key];
  if (key === '--help' || key === '-h' || key === 'help') {
    out.write(`${helpText()}\n`);
    return 0;
  }
  if (!command) {
    err.write(`${argv.length ? `unknown command: ${argv.slice(0, 2).join(' ')}\n` : ''}${helpText()}\n`);
    return 2;
  }
  let manager: TenantManager | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: withNegativeValues(argv.slice(key.split(' ').length)),
      options: { ...common, ...command.options },
      allowPositionals: key === 'export',
      strict: true,
    });
    if (values.help) {
      out.write(`${command.usage}\n`);
      return 0;
    }
    const missing = command.required.filter((r) => values[r] === undefined || values[r] === '');
    if (missing.length) throw new AppError('bad_request', `missing ${missing.map((m) => `--${m}`).join(', ')}\nusage: ${command.usage}`);
    manager = new TenantManager(resolveDataDir(values['data-dir'] as string | undefined));
    out.write(`${await command.run(manager, values as Values, positionals, out)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      err.write(`error: ${inOptionWords(e, command.fields)}\n`);
      return e.code === 'bad_request' || e.code === 'validation_failed' ? 2 : 1;
    }
    const code = (e as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`error: ${(e as Error).message}\nusage: ${command.usage}\n`);
      return 2;
    }
    err.write(`error: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  } finally {
    manager?.closeAll();
  }
}
