import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTenant } from '../../test/tenantFixture.js';
import { bookUnit } from './bookings.js';
import { exportXlsx } from './exports.js';
import { createLedgerEntry } from './ledger.js';
import { leadService } from './leads.js';

// Acceptance 3: the .xlsx of the funnel and of the ledger open with exceljs with
// typed cells — dates as dates, money as numbers in the currency's format, percentages as
// percentages — and the details on a second sheet. Amounts worked by hand.
let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant({ timezone: 'Asia/Kolkata' });
  leadService.create(t.ctx, { id: 'L1', name: 'Priya Shah', phone: '98450 12345', lead_date: '2025-11-03' });
  leadService.create(t.ctx, { id: 'L2', name: 'Ravi Menon', lead_date: '2025-11-10' });
  leadService.create(t.ctx, { id: 'L3', name: 'Asha Rao', lead_date: '2025-11-12' });
  leadService.create(t.ctx, { id: 'L4', name: 'Dev Kapoor', lead_date: '2025-10-20' });
  // Priya books ₹62,40,000.50 on 2025-11-15 (an invoice), then pays ₹12,40,000.25 on 2025-11-20.
  const booked = bookUnit(t.ctx, 'L1', { booking_date: '2025-11-15', booking_amount: 6_240_000.5, project_name: 'Green Meadows', unit_type: '2BHK' });
  createLedgerEntry(t.ctx, { customer_id: booked.customer_id, transaction_date: '2025-11-20', transaction_type: 'payment', credit_amount: 1_240_000.25, description: 'First instalment' });
});
afterAll(() => t?.close());

async function open(file: { file_name: string; content_type: string; data_base64: string }) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(file.data_base64, 'base64') as unknown as ArrayBuffer);
  return book;
}
const headerOf = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1) as string[];
const cellOf = (sheet: ExcelJS.Worksheet, row: number, column: string) => sheet.getRow(row).getCell(headerOf(sheet).indexOf(column) + 1);

describe('Excel exports (issue 18)', () => {
  it('the funnel: counts as numbers, the conversion rate as a percentage, the details on "About"', async () => {
    const file = await exportXlsx(t.ctx, { name: 'funnel', from: '2025-10-01', to: '2025-11-30' });
    expect(file).toMatchObject({ file_name: 'funnel.xlsx', content_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const book = await open(file);
    expect(book.worksheets.map((s) => s.name)).toEqual(['funnel', 'About']);
    const sheet = book.getWorksheet('funnel')!;
    expect(headerOf(sheet)).toEqual(['month', 'total_leads', 'contacted', 'qualified', 'negotiation', 'converted', 'lost', 'conversion_rate']);
    // November: 3 leads, 1 converted (Priya's booking) → 33.33 %; October: 1 lead, none converted.
    const nov = [2, 3].find((r) => sheet.getRow(r).getCell(1).value === '2025-11')!;
    expect(cellOf(sheet, nov, 'total_leads')).toMatchObject({ type: ExcelJS.ValueType.Number, value: 3 });
    expect(cellOf(sheet, nov, 'converted').value).toBe(1);
    expect(cellOf(sheet, nov, 'conversion_rate')).toMatchObject({ type: ExcelJS.ValueType.Number, value: 0.3333, numFmt: '0.00%' });
    const about = book.getWorksheet('About')!;
    const facts = Object.fromEntries(about.getSheetValues().slice(2).map((r) => [(r as unknown[])[1], (r as unknown[])[2]]));
    expect(facts).toMatchObject({ export: 'funnel', tenant: 'Tenant One (t1)', filters: 'from=2025-10-01 to=2025-11-30 as_of=2025-11-25', 'time zone': 'Asia/Kolkata', rows: 2, currency: 'INR' });
  });

  it('the ledger: dates as dates, money as numbers in rupees to the paisa, names beside ids, instants in the tenant\'s time', async () => {
    const book = await open(await exportXlsx(t.ctx, { name: 'ledger-entries' }));
    const sheet = book.getWorksheet('ledger-entries')!;
    const header = headerOf(sheet);
    expect(header.slice(header.indexOf('customer_id'), header.indexOf('customer_id') + 3)).toEqual(['customer_id', 'customer_code', 'customer_name']);
    expect(sheet.rowCount).toBe(3);
    const invoice = cellOf(sheet, 2, 'debit_amount');
    expect(invoice).toMatchObject({ type: ExcelJS.ValueType.Number, value: 6_240_000.5 });
    expect(invoice.numFmt).toBe('"₹"#,##0.00;-"₹"#,##0.00');
    expect(cellOf(sheet, 3, 'credit_amount').value).toBe(1_240_000.25);
    // The running balance: 62,40,000.50 − 12,40,000.25 = 50,00,000.25.
    expect(cellOf(sheet, 3, 'balance_after')).toMatchObject({ type: ExcelJS.ValueType.Number, value: 5_000_000.25 });
    const date = cellOf(sheet, 3, 'transaction_date');
    expect(date.type).toBe(ExcelJS.ValueType.Date);
    expect((date.value as Date).toISOString()).toBe('2025-11-20T00:00:00.000Z');
    expect(date.numFmt).toBe('yyyy-mm-dd');
    expect(cellOf(sheet, 2, 'customer_name').value).toBe('Priya Shah');
    // Recorded at 10:00 UTC on 2025-11-25 by the test clock: 15:30 in Kolkata.
    const made = cellOf(sheet, 2, 'created_at');
    expect(made.type).toBe(ExcelJS.ValueType.Date);
    expect((made.value as Date).toISOString()).toMatch(/^2025-11-25T15:30:00/);
    expect(cellOf(sheet, 2, 'transaction_type').value).toBe('invoice');
  });

  it('the customer balances and the aging: money typed; a phone as the text the country writes, never a number', async () => {
    const balances = (await open(await exportXlsx(t.ctx, { name: 'customer-ledger' }))).worksheets[0]!;
    expect(cellOf(balances, 2, 'outstanding_balance')).toMatchObject({ type: ExcelJS.ValueType.Number, value: 5_000_000.25 });
    const aging = (await open(await exportXlsx(t.ctx, { name: 'receivables-aging', as_of: '2025-11-25' }))).worksheets[0]!;
    expect(cellOf(aging, 2, 'phone')).toMatchObject({ type: ExcelJS.ValueType.String, value: '98450 12345' });
    expect(cellOf(aging, 2, 'contract_value')).toMatchObject({ type: ExcelJS.ValueType.Number, value: 6_240_000.5 });
  });

  it('refuses a filter the export does not take, naming it', async () => {
    await expect(exportXlsx(t.ctx, { name: 'funnel', customer_id: 'x' })).rejects.toMatchObject({ details: [{ field: 'customer_id' }] });
  });
});
