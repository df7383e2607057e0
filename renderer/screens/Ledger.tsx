import { useEffect, useState } from 'react';
import { send } from '../api/client.js';
import { DocumentButton } from '../components/DocumentButton.js';
import { Schedule } from './bookings/Schedule.js';
import type { Input, Output } from '../api/types.js';
import { ExportButton } from '../components/ExportButton.js';
import { RecordPicker } from '../components/RecordPicker.js';
import { Badge, Card, Empty, ErrorBanner, Field, Loading, Notice, Pager, StaleBanner, TextField, ChoiceField } from '../components/ui.js';
import { attempt, useAsync } from '../components/useAsync.js';
import { amount, amountOf, changedFields, DATE_RE, optional, required, useForm, useNewerRecord } from '../components/useForm.js';
import { day, label, money, phone, today } from '../format.js';
import { useCan, useCanonicalRecord, useSession } from '../store/session.js';

const PAGE = 100;
const TYPES = ['invoice', 'payment', 'credit_note', 'debit_note', 'refund', 'adjustment'] as const;
// Which side an entry of each type usually falls on (a refund is money paid back: a debit).
const DEBIT_TYPES = new Set(['invoice', 'debit_note', 'refund']);

export function Ledger() {
  // The customer open here is the one the address names (`#/ledger/CUS-000004`), by code or id.
  const { record, go, rename } = useSession();
  const can = useCan();
  const customer = record ? { id: record, title: '' } : null;
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [record]);
  const [notice, setNotice] = useState<string | null>(null);
  const ledger = useAsync(() => (customer ? send('ledger.customer', { customer_id: customer.id, limit: PAGE, offset }) : Promise.resolve(null)), [customer?.id, offset]);
  const summary = ledger.data?.summary;
  useCanonicalRecord(record, ledger.data && ledger.data.customer.customer_code, rename);

  async function reverse(id: string, code: string) {
    if (!confirm(`Reverse ${code}? A counter-entry is added; the original stays in the history.`)) return;
    if (await attempt(() => send('ledger.reverse', { id }), setNotice)) {
      setNotice(`${code} reversed.`);
      ledger.reload();
    }
  }

  return (
    <>
      <header className="page-head">
        <h1>Ledger</h1>
        <div className="actions">
          <ExportButton name="customer-ledger" label="Export all balances" />
          {ledger.data && <ExportButton name="ledger-entries" filters={{ customer_id: ledger.data.customer.id }} />}
        </div>
      </header>
      <div className="toolbar">
        <RecordPicker kind="customer" label="Customer" value={customer && ledger.data ? { id: customer.id, title: ledger.data.customer.name } : customer} onPick={(o) => go('ledger', o.id)} />
      </div>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBanner error={ledger.error} onRetry={ledger.reload} />
      {!customer ? (
        <Empty title="Pick a customer to see their ledger.">Entries show with the running balance; invoices and refunds raise it, payments and credit notes lower it.</Empty>
      ) : ledger.loading && !ledger.data ? <Loading what="Loading the ledger" /> : ledger.data ? (
        <>
          <div className="kpis small">
            <div className="kpi"><h3>Invoiced</h3><strong>{money(summary?.total_invoiced ?? 0)}</strong></div>
            <div className="kpi"><h3>Paid</h3><strong>{money(summary?.total_paid ?? 0)}</strong></div>
            <div className="kpi"><h3>Credit notes</h3><strong>{money(summary?.total_credit_notes ?? 0)}</strong></div>
            <div className="kpi"><h3>Debit notes</h3><strong>{money(summary?.total_debit_notes ?? 0)}</strong></div>
            <div className="kpi"><h3>Refunds</h3><strong>{money(summary?.total_refunds ?? 0)}</strong></div>
            <div className="kpi accent"><h3>Outstanding</h3><strong>{money(summary?.outstanding_balance ?? 0)}</strong></div>
          </div>
          <div className="stack">
            <Card title={`${ledger.data.customer.name} · ${ledger.data.customer.customer_code}`} actions={<DocumentButton label="Statement (PDF)" make={() => send('documents.statement', { customer_id: ledger.data!.customer.id })} />}>
              {ledger.data.entries.items.length === 0 ? <Empty title="No entries yet.">Add an invoice or payment with the form.</Empty> : (
                <div className="table-scroll">
                <table className="data" aria-label="Ledger entries">
                  <thead><tr><th>Date · code</th><th>Type</th><th>Description</th><th className="num">Debit</th><th className="num">Credit</th><th className="num">Balance</th><th /></tr></thead>
                  <tbody>
                    {ledger.data.entries.items.map((e) => (
                      <tr key={e.id} className={e.status !== 'active' ? 'muted' : undefined}>
                        <td className="nowrap">{day(e.transaction_date)}<small>{e.ledger_code}</small></td>
                        <td>{label(e.transaction_type)}{e.status !== 'active' && <> <Badge value={e.status} /></>}</td>
                        <td className="description">{e.description ?? '—'}</td>
                        <td className="num">{e.debit_amount ? money(e.debit_amount) : ''}</td>
                        <td className="num">{e.credit_amount ? money(e.credit_amount) : ''}</td>
                        <td className="num"><strong>{money(e.balance_after)}</strong></td>
                        <td>{e.status === 'active' && can('ledger.reverse') && <button className="link danger" onClick={() => void reverse(e.id, e.ledger_code)}>Reverse</button>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                </div>
              )}
              <Pager offset={offset} nextOffset={ledger.data.entries.next_offset} pageSize={PAGE} onPage={setOffset} />
            </Card>
            <CustomerDetails key={ledger.data.customer.id} id={ledger.data.customer.id} onSaved={(m) => (setNotice(m), ledger.reload())} />
            <NewEntry customerId={ledger.data.customer.id} onSaved={(m) => (setNotice(m), ledger.reload())} />
            <Instalments key={`${ledger.data.customer.id}:${ledger.data.entries.items.length}:${summary?.outstanding_balance}`} customerId={ledger.data.customer.id} />
          </div>
        </>
      ) : null}
    </>
  );
}

type Customer = Output<'customers.get'>;
const customerValues = (c: Customer) => ({ name: c.name, phone: c.phone ? phone(c.phone) : '', email: c.email ?? '', address: c.address ?? '' });

/**
 * The customer's details, editable (a corrected phone, a new address). The change names
 * the copy it is based on: saved by someone else meanwhile, nothing is written and the
 * form shows the newer details to make the change again (SPEC §4).
 */
function CustomerDetails({ id, onSaved }: { id: string; onSaved: (message: string) => void }) {
  const customer = useAsync(() => send('customers.get', { id }), [id]);
  const [editing, setEditing] = useState(false);
  const c = customer.data;
  return (
    <Card title="Customer details" actions={c && !editing ? <button className="secondary" onClick={() => setEditing(true)}>Edit</button> : undefined}>
      <ErrorBanner error={customer.error} onRetry={customer.reload} />
      {!c ? <Loading /> : editing ? (
        <EditCustomer customer={c} onCancel={() => setEditing(false)} onSaved={(saved) => (setEditing(false), customer.reload(), onSaved(`${saved.name}'s details saved.`))} onStale={customer.reload} />
      ) : (
        <dl className="facts" aria-label="Customer details">
          <dt>Phone</dt><dd>{phone(c.phone)}</dd>
          <dt>Email</dt><dd>{c.email ?? '—'}</dd>
          <dt>Address</dt><dd className="notes">{c.address ?? '—'}</dd>
        </dl>
      )}
    </Card>
  );
}

function EditCustomer({ customer, onCancel, onSaved, onStale }: { customer: Customer; onCancel: () => void; onSaved: (c: Customer) => void; onStale: () => void }) {
  const form = useForm(customerValues(customer), (v) => ({
    name: required(v.name),
    email: v.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.email) ? 'must be an email address' : undefined,
  }), { draft: `customer-edit:${customer.id}` });
  const stale = useNewerRecord(form, customerValues, onStale);
  const { bind, errors } = form;
  const save = async () => {
    let saved: Customer | null = null;
    await form.submit(async (x) => {
      const changed = changedFields(x, customerValues(customer), ['name']);
      saved = await send('customers.update', { id: customer.id, expected_updated_at: customer.updated_at, ...changed } as Input<'customers.update'>);
    });
    if (saved) onSaved(saved);
  };
  return (
    <>
      {stale ? (
        <StaleBanner title="Someone changed these details while you were editing them.">Nothing of yours was saved; the form now shows them as they are. Make your change again.</StaleBanner>
      ) : <ErrorBanner error={form.failure} />}
      <form className="grid" noValidate aria-label="Edit customer" onSubmit={(e) => (e.preventDefault(), void save())}>
        <Field label="Name" error={errors.name}>{(fid) => <input id={fid} {...bind('name')} />}</Field>
        <Field label="Phone" error={errors.phone}>{(fid) => <input id={fid} type="tel" {...bind('phone')} />}</Field>
        <Field label="Email" error={errors.email}>{(fid) => <input id={fid} type="email" {...bind('email')} />}</Field>
        <Field label="Address" error={errors.address} wide>{(fid) => <textarea id={fid} {...bind('address')} />}</Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={form.busy}>Save details</button>
          <button type="button" className="link" onClick={() => (form.reset(), onCancel())}>Cancel</button>
        </div>
      </form>
    </>
  );
}

function NewEntry({ customerId, onSaved }: { customerId: string; onSaved: (message: string) => void }) {
  // SPEC §11: anyone records a payment; the other entries are a manager's (as reversals are).
  const types = useCan()('ledger.reverse') ? TYPES : (['payment'] as const);
  const form = useForm({ transaction_type: 'payment', amount: '', transaction_date: today(), reference_document_type: '', reference_document_id: '', description: '' }, (v) => ({
    amount: amount(v.amount, { positive: true }),
    transaction_date: DATE_RE.test(v.transaction_date) ? undefined : 'is required',
  }));
  const { values: v, bind, errors } = form;
  const debit = DEBIT_TYPES.has(v.transaction_type);
  const save = () =>
    form.submit(async (x) => {
      const body: Input<'ledger.create'> = {
        customer_id: customerId, transaction_type: x.transaction_type as Input<'ledger.create'>['transaction_type'], transaction_date: x.transaction_date,
        ...(debit ? { debit_amount: amountOf(x.amount) } : { credit_amount: amountOf(x.amount) }),
        reference_document_type: optional(x.reference_document_type), reference_document_id: optional(x.reference_document_id), description: optional(x.description),
      };
      const entry = await send('ledger.create', body);
      onSaved(`${label(entry.transaction_type)} ${entry.ledger_code} added; balance now ${money(entry.balance_after)}.`);
      form.reset();
    });
  return (
    <Card title="Add an entry">
      <ErrorBanner error={form.failure} />
      <form className="grid" aria-label="Add a ledger entry" onSubmit={(e) => (e.preventDefault(), void save())}>
        <ChoiceField label="Transaction type" error={errors.transaction_type} {...bind('transaction_type')} options={types} />
        <Field label={debit ? 'Debit amount' : 'Credit amount'} error={errors.amount ?? errors.debit_amount ?? errors.credit_amount}>
          {(id) => <input id={id} inputMode="decimal" {...bind('amount')} />}
        </Field>
        <TextField label="Transaction date" error={errors.transaction_date} type="date" {...bind('transaction_date')} />
        <TextField label="Reference type" error={errors.reference_document_type} placeholder="receipt, invoice…" {...bind('reference_document_type')} />
        <TextField label="Reference number" error={errors.reference_document_id} {...bind('reference_document_id')} />
        <TextField label="Description" error={errors.description} wide {...bind('description')} />
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Add entry</button></div>
      </form>
    </Card>
  );
}

/** SPEC §10: the customer's bookings with their instalments (paid, due, overdue as of today). */
function Instalments({ customerId }: { customerId: string }) {
  const list = useAsync(() => send('bookings.list', { customer_id: customerId, limit: 50 }), [customerId]);
  if (!list.data || list.data.items.length === 0) return null;
  return <>{list.data.items.map((b) => <Schedule key={b.id} booking={b} />)}</>;
}
