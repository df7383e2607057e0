import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { receivablesDataset } from '../../test/receivablesDataset.js';
import { tempDir } from '../../test/tenantFixture.js';
import { main } from '../cli/main.js';
import { demandLetterPdf, statementPdf } from './documents.js';

let t: ReturnType<typeof receivablesDataset>;
afterEach(() => t?.close());

/** The text of a PDF as poppler reads it (the layout kept, so a table row stays on one line). */
function textOf(file: { data_base64: string } | string): string {
  const pdf = typeof file === 'string' ? file : path.join(tempDir(), 'doc.pdf');
  if (typeof file !== 'string') fs.writeFileSync(pdf, Buffer.from(file.data_base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
}

describe('documents (SPEC §10)', () => {
  it('a statement of account: the tenant, the customer, every entry with its balance, and the aging\'s figures', async () => {
    t = receivablesDataset();
    const doc = await statementPdf(t.ctx, { customer_id: 'K1', to: '2025-12-31' });
    expect(doc).toMatchObject({ file_name: 'statement-K1-2025-12-31.pdf', content_type: 'application/pdf' });
    expect(Buffer.from(doc.data_base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const text = textOf(doc);
    expect(text).toContain('Tenant One');
    expect(text).toContain('Asha (K1)');
    // Her number as the app and the exports show it, not as stored.
    expect(text).toContain('98450 11111');
    expect(text).not.toContain('+919845011111');
    // Booked 1 June (no invoice: recorded directly), paid 1,00,000 and 2,50,000: the balance −3,50,000.
    expect(text).toMatch(/Opening balance\s+₹0\.00/);
    expect(text).toMatch(/Closing balance\s+-₹3,50,000\.00/);
    // The aging's row for Asha as of 31 December (main/services/receivables.test.ts).
    expect(text).toMatch(/Due to date: ₹10,00,000\.00/);
    expect(text).toMatch(/Of which overdue: ₹6,50,000\.00/);
    expect(text).toMatch(/Agreement\s+1 Jul 2025\s+₹4,00,000\.00\s+₹2,50,000\.00\s+₹1,50,000\.00\s+183 d/);
    // Entry types as the app writes them; an amount of nine digits in crores is never broken over two lines.
    expect(text).toMatch(/Payment\s+₹1,00,000\.00/);
    const { createLedgerEntry } = await import('../services/ledger.js');
    createLedgerEntry(t.ctx, { customer_id: 'K1', transaction_date: '2025-12-30', transaction_type: 'invoice', debit_amount: 365900000.55 });
    const big = textOf(await statementPdf(t.ctx, { customer_id: 'K1', to: '2025-12-31' }));
    expect(big).toMatch(/Invoice\s+₹36,59,00,000\.55\s+₹36,55,50,000\.55/);
    expect(big).toMatch(/Closing balance\s+₹36,55,50,000\.55/);
  });

  it('a demand letter: the instalments due by the day, what is paid and the total now payable; refused for a cancelled booking', async () => {
    t = receivablesDataset();
    const booking = (t.ctx.db.prepare("SELECT id, booking_code FROM sales_bookings WHERE customer_id = 'K1'").get() as { id: string; booking_code: string });
    const text = textOf(await demandLetterPdf(t.ctx, { booking_id: booking.id, as_of: '2025-12-31' }));
    expect(text).toContain(booking.booking_code);
    expect(text).toMatch(/Total\s+₹10,00,000\.00\s+₹3,50,000\.00\s+₹6,50,000\.00/);
    expect(text).toMatch(/Total now payable: ₹6,50,000\.00/);
    // By 10 July only June's and July's instalments had fallen due: 5,00,000, 1,00,000 paid.
    expect(textOf(await demandLetterPdf(t.ctx, { booking_id: booking.id, as_of: '2025-07-10' }))).toMatch(/Total now payable: ₹4,00,000\.00/);
    // On 5 June only the booking instalment was due, and it is paid: the letter asks for nothing.
    const paidUp = textOf(await demandLetterPdf(t.ctx, { booking_id: booking.id, as_of: '2025-06-05' })).replace(/\s+/g, ' ');
    expect(paidUp).toContain('every instalment of your booking due by 5 Jun 2025 is paid');
    expect(paidUp).toMatch(/Total now payable: ₹0\.00/);
    t.ctx.db.prepare("UPDATE sales_bookings SET status = 'cancelled', cancellation_date = '2025-12-01', cancellation_reason = 'x', forfeiture_amount = 0 WHERE id = ?").run(booking.id);
    await expect(demandLetterPdf(t.ctx, { booking_id: booking.id })).rejects.toMatchObject({ details: [{ field: 'booking_id' }] });
  });

  it('the CLI writes both; pdftotext finds the customer and the total due', async () => {
    t = receivablesDataset();
    t.manager.closeAll();
    const out = tempDir();
    const cli = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await main([...args, '--data-dir', t.dataDir], { write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s) });
      return { code, stdout, stderr };
    };
    const statement = await cli('statement', '--tenant', 't1', '--customer', 'K1', '--to', '2025-12-31', '--out', path.join(out, 'asha.pdf'));
    expect(statement).toMatchObject({ code: 0, stdout: expect.stringMatching(/^wrote .*asha\.pdf \(\d+ bytes\)/) });
    expect(textOf(path.join(out, 'asha.pdf'))).toMatch(/Asha[\s\S]*Of which overdue: ₹6,50,000\.00/);
    const code = (t.manager.context('t1', null).db.prepare("SELECT booking_code FROM sales_bookings WHERE customer_id = 'K1'").get() as { booking_code: string }).booking_code;
    t.manager.closeAll();
    expect(await cli('demand-letter', '--tenant', 't1', '--booking', code, '--as-of', '2025-12-31', '--out', path.join(out, 'demand.pdf'))).toMatchObject({ code: 0 });
    expect(textOf(path.join(out, 'demand.pdf'))).toMatch(/Asha[\s\S]*Total now payable: ₹6,50,000\.00/);
    expect(await cli('statement', '--tenant', 't1', '--customer', 'NOPE', '--out', path.join(out, 'x.pdf'))).toMatchObject({ code: 1, stderr: "error: customer 'NOPE' not found\n" });
  });
});
