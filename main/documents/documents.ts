import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { z } from 'zod';
import { prepareCached as sql } from '../../db/statements.js';
import { agingFigures, bucketsOf } from '../../db/reports/aging.js';
import { DEFAULT_BUCKETS, receivablesPlan } from '../../db/reports/receivables.js';
import { onSqlite } from '../../db/reports/plan.js';
import { bookings, customers } from '../../db/schema/index.js';
import { today, type ServiceContext } from '../domain/context.js';
import { addDays } from '../../db/values/dates.js';
import { validationError } from '../domain/errors.js';
import { moneyText } from '../../db/values/money.js';
import { localDate, recordId, parsing } from '../domain/validation.js';
import { requireRecord } from '../services/records.js';
import { countryOfLocale, phoneText } from '../domain/phone.js';

// SPEC §10 documents: a customer's statement of account and a booking's demand letter,
// as PDF made by pdfkit (a well-kept PDF library that writes text, tables and pages
// without a browser). Every amount is the one the reports give for the same day —
// the aging report's row for the statement's instalment summary, the same allocation
// for the letter — in the tenant's currency and locale, dates in its zone, its name on
// top. DejaVu Sans (resources/fonts) is embedded: it has the rupee sign.

export interface PdfFile {
  file_name: string;
  content_type: 'application/pdf';
  data_base64: string;
}

/** A document handed to the shell to save: a PDF (a statement, a letter) or an Excel export, named *.pdf or *.xlsx. */
export const pdfFileInput = z.strictObject({
  file_name: z.string().max(200).regex(/^[^/\\]+\.(pdf|xlsx)$/, { error: 'must be a file name ending in .pdf or .xlsx' }),
  content_type: z.enum(['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], { error: 'must be a PDF or an Excel workbook' }),
  data_base64: z.string().max(200_000_000),
});
/** A file the shell saves for the app: a PDF or a workbook. */
export type DocumentFile = z.output<typeof pdfFileInput>;

const fontsDir = () => process.env.MILEPOST_FONTS_DIR ?? fileURLToPath(new URL('../../resources/fonts', import.meta.url));

type Doc = InstanceType<typeof PDFDocument>;

/** A document being written: its page, the tenant's formats, and a table writer that turns pages. */
function writer(ctx: ServiceContext, title: string) {
  const doc: Doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: title, Author: ctx.settings.name, Creator: 'Milepost' } });
  doc.registerFont('body', path.join(fontsDir(), 'DejaVuSans.ttf'));
  doc.registerFont('bold', path.join(fontsDir(), 'DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const { locale } = ctx.settings;
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const money = (minor: number) => moneyText(ctx.settings, minor);
  const date = (d: string | null) => (d ? dateFormat.format(new Date(`${d}T00:00:00Z`)) : '—');
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  doc.font('bold').fontSize(16).text(ctx.settings.name || ctx.settings.tenant_id, left, doc.page.margins.top);
  doc.font('body').fontSize(9).fillColor('#555').text(`${title} · made ${date(today(ctx))}`).fillColor('black').moveDown(1);

  /** A table: columns with their width share and alignment; a new page (with the head again) when it runs out. */
  function table(columns: { head: string; share: number; right?: boolean }[], rows: string[][], opts: { boldLast?: boolean } = {}) {
    const widths = columns.map((c) => (c.share / columns.reduce((a, x) => a + x.share, 0)) * width);
    const line = (cells: string[], bold: boolean) => {
      doc.font(bold ? 'bold' : 'body').fontSize(8);
      // Most cells fit on one line: measured once and placed directly, wrapped only when they do not.
      const textWidths = cells.map((cell) => doc.widthOfString(cell));
      // An amount is never broken over two lines: drawn smaller when it does not fit.
      const fits = (i: number) => textWidths[i]! <= widths[i]! - 6 || Boolean(columns[i]!.right);
      const heights = cells.map((cell, i) => (fits(i) ? doc.currentLineHeight(true) : doc.heightOfString(cell, { width: widths[i]! - 6 })));
      const h = Math.max(...heights) + 6;
      if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
        doc.addPage();
        line(columns.map((c) => c.head), true);
        doc.font(bold ? 'bold' : 'body').fontSize(8);
      }
      const y = doc.y;
      let x = left;
      cells.forEach((cell, i) => {
        const room = widths[i]! - 6;
        if (cell === '') {
          // nothing to write
        } else if (textWidths[i]! <= room) {
          doc.text(cell, columns[i]!.right ? x + 3 + room - textWidths[i]! : x + 3, y + 3, { lineBreak: false });
        } else if (columns[i]!.right) {
          const size = Math.max(5, (8 * room) / textWidths[i]!);
          doc.fontSize(size).text(cell, x + 3 + room - doc.widthOfString(cell), y + 3 + (8 - size) / 2, { lineBreak: false });
          doc.fontSize(8);
        } else {
          doc.text(cell, x + 3, y + 3, { width: room, align: columns[i]!.right ? 'right' : 'left' });
        }
        x += widths[i]!;
      });
      doc.moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(0.3).strokeColor('#bbb').stroke();
      doc.x = left;
      doc.y = y + h;
    };
    line(columns.map((c) => c.head), true);
    rows.forEach((r, i) => line(r, Boolean(opts.boldLast) && i === rows.length - 1));
    doc.moveDown(0.8);
  }
  const heading = (text: string) => doc.font('bold').fontSize(11).text(text, left).moveDown(0.3);
  const facts = (pairs: [string, string][]) => {
    for (const [k, v] of pairs) doc.font('bold').fontSize(9).text(`${k}: `, left, doc.y, { continued: true }).font('body').text(v);
    doc.moveDown(0.8);
  };
  return { doc, done, money, date, table, heading, facts };
}

const file = (name: string, data: Buffer): PdfFile => ({ file_name: name, content_type: 'application/pdf', data_base64: data.toString('base64') });

/** A ledger entry's type as the app shows it: "Credit note". */
const typeLabel = (type: string) => type.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export const statementInput = z.strictObject({ customer_id: recordId(), from: localDate().optional(), to: localDate().optional() });

/** What a statement of account says: the period's entries with running balances, and the customer's instalments and dues as of its end (minor units). */
export const statementOf = parsing(statementInput, (ctx: ServiceContext, query) => {
  const to = query.to ?? today(ctx);
  if (query.from && query.from > to) throw validationError('to', 'must be on or after from');
  const customer = requireRecord(ctx, customers, 'customer', query.customer_id);
  const from = query.from ?? ((sql(ctx.db, 'SELECT min(transaction_date) AS d FROM sales_account_ledgers WHERE customer_id = ? AND deleted_at IS NULL').get(customer.id) as { d: string | null }).d ?? to);
  const opening = (sql(ctx.db, `SELECT coalesce(sum(debit_amount - credit_amount), 0) AS n FROM sales_account_ledgers
      WHERE customer_id = ? AND status <> 'cancelled' AND deleted_at IS NULL AND transaction_date < ?`).get(customer.id, from) as { n: number }).n;
  const entries = sql(ctx.db, `SELECT * FROM (
      SELECT e.*, sum(CASE WHEN status <> 'cancelled' THEN debit_amount - credit_amount ELSE 0 END)
               OVER (ORDER BY transaction_date, created_at, id ROWS UNBOUNDED PRECEDING) AS balance_after
      FROM sales_account_ledgers e WHERE customer_id = ? AND deleted_at IS NULL
    ) WHERE transaction_date BETWEEN ? AND ? ORDER BY transaction_date, created_at, id`).all(customer.id, from, to) as {
    ledger_code: string; transaction_date: string; transaction_type: string; description: string | null; debit_amount: number; credit_amount: number; status: string; balance_after: number;
  }[];
  const closing = entries.length ? entries[entries.length - 1]!.balance_after : opening;
  // Allocated once: the instalment table and the totals under it are the aging report's figures.
  const receivables = onSqlite(ctx.db, receivablesPlan({ as_of: to, customer_id: customer.id })).get(customer.id);
  const aging = agingFigures(0, receivables ?? { instalments: [], received: 0, advance: 0 }, to, bucketsOf(DEFAULT_BUCKETS));
  const codes = new Map((sql(ctx.db, 'SELECT id, booking_code FROM sales_bookings WHERE customer_id = ?').all(customer.id) as { id: string; booking_code: string }[]).map((b) => [b.id, b.booking_code]));
  const labels = new Map((sql(ctx.db, 'SELECT s.id, s.label FROM sales_payment_schedule s WHERE s.deleted_at IS NULL AND s.booking_id IN (SELECT id FROM sales_bookings WHERE customer_id = ?)').all(customer.id) as { id: string; label: string }[]).map((s) => [s.id, s.label]));
  const instalments = (receivables?.instalments ?? []).slice().sort((a, b) => (a.due_date ?? '9999') < (b.due_date ?? '9999') ? -1 : 1)
    .map((i) => ({ ...i, booking_code: codes.get(i.booking_id) ?? '', label: labels.get(i.id) ?? 'Full amount' }));
  return { customer, from, to, opening, entries, closing, instalments, aging };
});

/** A customer's statement of account for a period: opening balance, every entry with its balance, closing balance, and their instalments as of its end. */
export const statementPdf = parsing(statementInput, async (ctx: ServiceContext, query): Promise<PdfFile> => {
  const { customer, from, to, opening, entries, closing, instalments, aging } = statementOf.parsed(ctx, query);
  const w = writer(ctx, `Statement of account — ${customer.name}`);
  w.heading('Statement of account');
  w.facts([
    ['Customer', `${customer.name} (${customer.customer_code})`], ...(customer.phone ? [['Phone', phoneText(customer.phone, countryOfLocale(ctx.settings.locale))] as [string, string]] : []),
    ...(customer.address ? [['Address', customer.address] as [string, string]] : []), ['Period', `${w.date(from)} to ${w.date(to)}`],
  ]);
  w.table(
    [{ head: 'Date', share: 1.6 }, { head: 'Entry', share: 2.1 }, { head: 'Type', share: 1.2 }, { head: 'Description', share: 2.0 }, { head: 'Debit', share: 1.6, right: true }, { head: 'Credit', share: 1.6, right: true }, { head: 'Balance', share: 1.8, right: true }],
    [
      ['', '', '', 'Opening balance', '', '', w.money(opening)],
      ...entries.map((e) => [
        w.date(e.transaction_date), e.ledger_code, typeLabel(e.transaction_type) + (e.status === 'reversed' ? ' (reversed)' : e.status === 'cancelled' ? ' (cancelled)' : ''),
        e.description ?? '', e.debit_amount ? w.money(e.debit_amount) : '', e.credit_amount ? w.money(e.credit_amount) : '', w.money(e.balance_after),
      ]),
      ['', '', '', 'Closing balance', '', '', w.money(closing)],
    ],
    { boldLast: true },
  );
  w.heading(`Instalments as of ${w.date(to)}`);
  w.table(
    [{ head: 'Booking', share: 2.1 }, { head: 'Instalment', share: 1.7 }, { head: 'Due', share: 1.6 }, { head: 'Amount', share: 1.6, right: true }, { head: 'Paid', share: 1.6, right: true }, { head: 'Overdue', share: 1.6, right: true }, { head: 'Late', share: 0.8, right: true }],
    instalments.map((i) => [i.booking_code, i.label, w.date(i.due_date), w.money(i.amount), w.money(i.paid), i.overdue ? w.money(i.overdue) : '', i.overdue ? `${i.days_overdue} d` : '']),
  );
  const m = (k: string) => w.money(aging[k] as number);
  w.facts([['Due to date', m('due_to_date')], ['Received against it', m('received_against_due')], ['Outstanding', m('outstanding_due')], ['Of which overdue', m('overdue_total')], ['Advance held', m('advance')]]);
  w.doc.end();
  return file(`statement-${customer.customer_code}-${to}.pdf`, await w.done);
});

export const demandInput = z.strictObject({ booking_id: recordId(), as_of: localDate().optional() });

/** A booking's demand letter: its instalments due by a day, what is already paid of them, and the total now payable. */
export const demandLetterPdf = parsing(demandInput, async (ctx: ServiceContext, query): Promise<PdfFile> => {
  const asOf = query.as_of ?? today(ctx);
  const booking = requireRecord(ctx, bookings, 'booking', query.booking_id);
  if (booking.status === 'cancelled') throw validationError('booking_id', `booking ${booking.booking_code} is cancelled: nothing is demanded on it`);
  const customer = requireRecord(ctx, customers, 'customer', booking.customer_id);
  const receivables = onSqlite(ctx.db, receivablesPlan({ as_of: asOf, customer_id: customer.id })).get(customer.id);
  const labels = new Map((sql(ctx.db, 'SELECT id, label FROM sales_payment_schedule WHERE booking_id = ? AND deleted_at IS NULL').all(booking.id) as { id: string; label: string }[]).map((s) => [s.id, s.label]));
  const due = (receivables?.instalments ?? []).filter((i) => i.booking_id === booking.id && i.due_date !== null && i.due_date <= asOf).sort((a, b) => a.seq - b.seq);
  const unit = booking.unit_id ? (sql(ctx.db, 'SELECT tower, unit_number FROM sales_units WHERE id = ?').get(booking.unit_id) as { tower: string; unit_number: string } | undefined) : undefined;
  const amount = due.reduce((a, i) => a + i.amount, 0);
  const paid = due.reduce((a, i) => a + i.paid, 0);
  const w = writer(ctx, `Demand letter — ${booking.booking_code}`);
  w.heading('Demand letter');
  w.facts([
    ['To', `${customer.name} (${customer.customer_code})${customer.address ? `, ${customer.address}` : ''}`],
    ['Booking', [booking.booking_code, booking.project_name, booking.unit_type, unit && `unit ${unit.tower ? `${unit.tower}-` : ''}${unit.unit_number}`].filter(Boolean).join(' · ')],
    ['Booked on', `${w.date(booking.booking_date)} for ${w.money(booking.booking_amount)}`], ['As of', w.date(asOf)],
  ]);
  const letter = amount - paid > 0
    ? `Dear ${customer.name}, the following instalments of your booking have fallen due. We request you to pay the balance shown below by ${w.date(addDays(asOf, ctx.settings.demand_notice_days ?? 15))}.`
    : due.length
      ? `Dear ${customer.name}, every instalment of your booking due by ${w.date(asOf)} is paid, as shown below: nothing is payable now. Thank you.`
      : `Dear ${customer.name}, no instalment of your booking has fallen due by ${w.date(asOf)}: nothing is payable now.`;
  w.doc.font('body').fontSize(9.5).text(letter, { width: w.doc.page.width - 96 }).moveDown(0.8);
  w.table(
    [{ head: 'Instalment', share: 2.2 }, { head: 'Due on', share: 1.5 }, { head: 'Amount', share: 1.5, right: true }, { head: 'Paid', share: 1.5, right: true }, { head: 'Balance', share: 1.5, right: true }],
    [
      ...due.map((i) => [labels.get(i.id) ?? 'Full amount', w.date(i.due_date), w.money(i.amount), w.money(i.paid), w.money(i.amount - i.paid)]),
      ['Total', '', w.money(amount), w.money(paid), w.money(amount - paid)],
    ],
    { boldLast: true },
  );
  w.facts([['Already paid', w.money(paid)], ['Total now payable', w.money(amount - paid)]]);
  w.doc.end();
  return file(`demand-letter-${booking.booking_code}-${asOf}.pdf`, await w.done);
});
