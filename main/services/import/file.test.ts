import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { leadRows, xlsxOf, zeros } from '../../../test/zip.js';
import { CAPS, readImportFile, rowsOf } from './file.js';
import { readTableOffThread } from './reader.js';

// An import file is read with every cap checked while reading — rows,
// columns, cell and line length, what each zip entry unzips to (counted as it inflates,
// not trusted from its header) — in a worker, and a refusal names the cap and its limit.

const refusal = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (e) {
    return e as { field: string; message: string; details?: { field: string; message: string }[] };
  }
  throw new Error('expected the file to be refused');
};
const csv = (text: string) => Buffer.from(text, 'utf8');

describe('reading an import file within caps', () => {
  it('reads a CSV and an .xlsx of the same leads alike', async () => {
    const a = await readImportFile(csv('Name,Phone\r\nLead 0,+919840000000\r\nLead 1,+919840000001\r\n'), 'a.csv');
    const b = await readImportFile(xlsxOf(leadRows(2)), 'b.xlsx');
    expect([...rowsOf(a)]).toEqual([{ line: 2, cells: ['Lead 0', '+919840000000'] }, { line: 3, cells: ['Lead 1', '+919840000001'] }]);
    expect(b.rows).toEqual(a.rows);
    expect(b.columns).toEqual(a.columns);
  });

  it(`refuses more than ${CAPS.rows.toLocaleString('en')} rows, naming the cap, in CSV and in .xlsx`, async () => {
    const lines = ['Name', ...Array.from({ length: CAPS.rows + 1 }, (_, i) => `Lead ${i}`)].join('\n');
    expect((await refusal(readImportFile(csv(lines), 'big.csv'))).message).toBe('has more than 200,000 rows: at most 200,000 are imported at once (split the file)');
    const exactly = await readImportFile(csv(['Name', ...Array.from({ length: CAPS.rows }, (_, i) => `Lead ${i}`)].join('\n')), 'ok.csv');
    expect(exactly.rows.lines.length).toBe(CAPS.rows);
    expect((await refusal(readImportFile(xlsxOf(leadRows(CAPS.rows + 1, 1)), 'big.xlsx'))).message).toBe('has more than 200,000 rows: at most 200,000 are imported at once (split the file)');
  });

  it('refuses a header of a million columns at once, and a row wider than the cap naming its line', async () => {
    const started = Date.now();
    const wide = `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\nx\n`;
    expect((await refusal(readImportFile(csv(wide), 'wide.csv'))).message).toBe('has 1,000,000 columns on line 1: at most 200 are read');
    expect(Date.now() - started).toBeLessThan(2000);
    const row = `Name,Phone\nOne,1\n${'x,'.repeat(250)}x\n`;
    expect((await refusal(readImportFile(csv(row), 'row.csv'))).message).toBe('has 251 columns on line 3: at most 200 are read');
  });

  it('refuses a line or a cell longer than the caps', async () => {
    expect((await refusal(readImportFile(csv(`Name\n"${'y'.repeat(CAPS.lineChars + 10)}"\n`), 'long.csv'))).message).toBe('has a row longer than 1,000,000 characters (row 2)');
    expect((await refusal(readImportFile(csv(`Name,Notes\nOne,${'z'.repeat(CAPS.cellChars + 1)}\n`), 'cell.csv'))).message).toBe('has a cell longer than 32,767 characters (line 2, column 2)');
  });

  it('refuses an .xlsx entry that claims, or turns out, to unzip beyond the cap — without inflating it all', async () => {
    const big = CAPS.entryBytes + 1024 * 1024;
    const honest = xlsxOf(leadRows(3), [{ name: 'xl/media/image1.png', data: zeros(big) }]);
    expect(honest.length).toBeLessThan(5 * 1024 * 1024);
    expect((await refusal(readImportFile(honest, 'media.xlsx'))).message).toBe('holds xl/media/image1.png, which unzips to 257 MB: at most 256 MB an entry');
    const lying = xlsxOf(leadRows(3), [{ name: 'xl/media/image1.png', data: zeros(big), claimedSize: 1000 }]);
    const started = Date.now();
    expect((await refusal(readImportFile(lying, 'lying.xlsx'))).message).toMatch(/^holds xl\/media\/image1\.png, which unzips to more than its header says \(0 MB\)/);
    expect(Date.now() - started).toBeLessThan(2000);
  }, 60_000);

  it('reads in a worker: a refusal is a 422 naming data_base64, and a file that needs more memory ends the worker, not the server', async () => {
    const e = await refusal(readTableOffThread(csv(`${'a,'.repeat(300)}a\n1\n`), 'wide.csv'));
    expect(e.details).toEqual([{ field: 'data_base64', message: 'has 301 columns on line 1: at most 200 are read' }]);
    const old = await refusal(readTableOffThread(csv('Name\nOne\n'), 'leads.xls'));
    expect(old.details).toEqual([{ field: 'file_name', message: 'is an old Excel file (.xls): save it as .xlsx or CSV' }]);
    expect((await readTableOffThread(xlsxOf(leadRows(5)), 'ok.xlsx')).rows.lines.length).toBe(5);
    // 200,000 rows of 100 cells, within every cap, read by a worker given 24 MB: it runs out, and only it.
    const dense = Buffer.from(`${'1,'.repeat(99)}1\n`.repeat(CAPS.rows + 1));
    const heapBefore = process.memoryUsage().heapUsed;
    expect((await refusal(readTableOffThread(dense, 'dense.csv', 24))).details).toEqual([{ field: 'data_base64', message: 'needs more than 24 MB of memory to read: split the file' }]);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
    // With the reader's own heap (128 MB), a real-looking file of the most rows is read whole: 200,000 leads of 12 columns (36 MB).
    const lead = (i: number) => `Buyer ${i},+91 98${40000000 + i},buyer${i}@example.com,Infosys Technologies,Website,diwali-25,asha.k,contacted,12/10/2025,Called twice; wants a 3BHK near the lake,Bengaluru,"85,00,000"`;
    const real = Buffer.from(['Name,Phone,Email,Company,Source,Campaign,Assigned to,Status,Lead date,Notes,City,Budget', ...Array.from({ length: CAPS.rows }, (_, i) => lead(i))].join('\r\n'));
    const table = await readTableOffThread(real, 'leads.csv');
    expect(table.rows.lines.length).toBe(CAPS.rows);
    expect([...rowsOf(table)].at(-1)).toEqual({
      line: CAPS.rows + 1,
      cells: ['Buyer 199999', '+91 9840199999', 'buyer199999@example.com', 'Infosys Technologies', 'Website', 'diwali-25', 'asha.k', 'contacted', '12/10/2025', 'Called twice; wants a 3BHK near the lake', 'Bengaluru', '85,00,000'],
    });
  }, 60_000);

  it("the packaged app's worker (the bundle beside main) reads a file as the source does", async () => {
    const bundle = path.resolve('dist/main/importWorker.cjs'); // `npm test` builds first (pretest)
    expect(fs.existsSync(bundle)).toBe(true);
    const bytes = new Uint8Array(csv('Name,Phone\r\nOne,+91 98450 71111\r\n'));
    const answer = await new Promise((resolve, reject) => {
      const w = new Worker(bundle, { workerData: { bytes, fileName: 'x.csv' } });
      w.on('message', (m) => void w.terminate().then(() => resolve(m)));
      w.on('error', reject);
    });
    expect(answer).toEqual({ table: { format: 'csv', columns: ['Name', 'Phone'], rows: { lines: [2], cells: ['["One","+91 98450 71111"]'] } } });
  });
});
