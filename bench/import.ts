import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { runDemo } from '../main/demo/demoData.js';
import { createTenant } from '../main/services/tenantSetup.js';
import { leadSourceService } from '../main/services/catalog.js';
import { previewImport, runImport } from '../main/services/import/run.js';
import { TenantManager } from '../main/tenants.js';
import { tempDir } from '../test/tenantFixture.js';

// `npm run bench:import -- [--rows N] [--existing N] [--json FILE]`: issue 8's lead
// import of an N-row CSV (default 50,000) into a tenant that already holds demo leads:
// the preview (read, map, check, match) and the import (preview again, then write),
// timed end to end as a user waits for them. One row in fifty repeats an earlier
// row's phone and one in a hundred has a bad phone number.

const { values } = parseArgs({ options: { rows: { type: 'string', default: '50000' }, existing: { type: 'string', default: '5000' }, json: { type: 'string' } } });
const ROWS = Number(values.rows);
const log = (s: string) => process.stderr.write(`${s}\n`);

const manager = new TenantManager(tempDir());
createTenant(manager, { tenant_id: 'import-bench', name: 'Import bench', admin_username: 'admin', admin_password: 'bench-pass-1' });
const ctx = manager.context('import-bench', null);
runDemo(ctx, { leads: Number(values.existing), seed: 3, today: '2026-11-01' });
leadSourceService.create(ctx, { source_name: 'Expo 2026', source_type: 'event' });

const rows = [['Name', 'Mobile', 'Email', 'Company', 'Lead Source', 'Date', 'Remarks']];
for (let i = 0; i < ROWS; i += 1) {
  const phone = i % 100 === 99 ? '12345' : `9${String(700000000 + (i % 50 === 49 ? i - 7 : i)).padStart(9, '0')}`;
  rows.push([`Visitor ${i}`, phone, `visitor${i}@example.com`, i % 3 ? '' : 'Acme', 'Expo 2026', `${(i % 28) + 1}/10/2026`, i % 10 ? '' : 'Asked for a brochure']);
}
const csv = Buffer.from(stringify(rows));
const file = { file_name: 'expo.csv', data_base64: csv.toString('base64') };
log(`${ROWS} rows, ${(csv.length / 1_048_576).toFixed(1)} MB, into a tenant with ${values.existing} demo leads`);

const rss = () => Math.round(process.memoryUsage().rss / 1_048_576);
let t = performance.now();
const preview = await previewImport(ctx, file);
const previewSeconds = (performance.now() - t) / 1000;
log(`preview: ${previewSeconds.toFixed(2)} s — would create ${preview.plan.create}, skip ${preview.plan.skip}, ${preview.plan.errors} rows with errors`);
t = performance.now();
let updates = 0;
const result = await runImport(ctx, { ...file, on_duplicate: 'skip' }, () => (updates += 1));
const importSeconds = (performance.now() - t) / 1000;
log(`import: ${importSeconds.toFixed(2)} s — created ${result.created}, skipped ${result.skipped}, ${result.error_rows} not imported (${updates} progress updates); RSS ${rss()} MB`);

const figures = {
  rows: ROWS, existing_leads: Number(values.existing), file_mb: Math.round((csv.length / 1_048_576) * 10) / 10,
  preview_seconds: Math.round(previewSeconds * 100) / 100, import_seconds: Math.round(importSeconds * 100) / 100,
  total_seconds: Math.round((previewSeconds + importSeconds) * 100) / 100, created: result.created, skipped: result.skipped,
  error_rows: result.error_rows, rss_mb: rss(), cpus: os.cpus().length, node: process.version,
};
const ok = figures.created === preview.plan.create && figures.import_seconds < 10;
log(`${ok ? 'ok' : 'FAILED'}: ${ROWS} rows imported in ${figures.import_seconds} s (target under 10 s)`);
if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(figures, null, 2)}\n`);
manager.closeAll();
process.exitCode = ok ? 0 : 1;
