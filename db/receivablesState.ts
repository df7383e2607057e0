import type Database from 'better-sqlite3';
import { allocate, type Instalment, type Receipt } from './values/allocation.js';
import { agingFigures, bucketsOf } from './reports/aging.js';
import { agingKey, CUSTOMER_INSTALMENTS, CUSTOMER_RECEIPTS, customerView, DEFAULT_BUCKETS, INSTALMENTS, instalmentState, projectView, RECEIPTS, type InstalmentState, type ReceivablesKept } from './reports/receivables.js';
import { prepareCached } from './statements.js';

// The device's receivables kept current (migration 0016). Triggers mark a customer in
// rcv_dirty whenever their bookings, instalments or receipts change, whatever wrote
// them; before a receivables read, refreshReceivables recomputes those customers — their
// allocation now (rcv_instalments), net receipts and horizon (rcv_customers) and, when
// the aging of today is kept, their rows of it (rcv_aging). A new day recomputes the
// aging rows of everyone from rcv_instalments (no allocation needed: receipts and
// bookings did not move). Reports use what is kept only when it is exactly what a
// live derivation would give (`kept`), and derive live otherwise.

const NOW = '9999-12-31';
/** Beyond this many customers to recompute, one pass over everything beats one query per customer. */
const ONE_BY_ONE = 300;

const projectKey = (name: string | null) => (name ?? '').toLowerCase();

interface KeptInstalment {
  id: string;
  customer_id: string;
  booking_id: string;
  project_key: string;
  due_date: string | null;
  amount: number;
  paid: number;
}

/** Whether this database keeps receivables (a device's SQLite; never the central Postgres). */
const keeps = (db: Database.Database) =>
  (prepareCached(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rcv_state'").get() !== undefined)
  && prepareCached(db, "SELECT 1 FROM rcv_state WHERE key = 'ready'").get() !== undefined;

/**
 * Recompute the customers waiting. `aging`: the aging of `today` is about to be read,
 * so make it for today if it is of another day (a new day: everyone's rows). Otherwise
 * the kept aging stays of its day, its rows of the recomputed customers rewritten.
 * Writes; a read-only database is left as it is.
 */
export function refreshReceivables(db: Database.Database, today: string, aging = false): { customers: number; agingRebuilt: boolean } {
  if (db.readonly || !keeps(db)) return { customers: 0, agingRebuilt: false };
  const dirty = prepareCached(db, 'SELECT customer_id FROM rcv_dirty').pluck().all() as string[];
  const agingAsOf = (prepareCached(db, "SELECT value FROM rcv_state WHERE key = 'aging_as_of'").pluck().get() as string | undefined) ?? null;
  const horizon = () => (prepareCached(db, 'SELECT max(horizon) FROM rcv_customers').pluck().get() as string | null) ?? '';
  const wantsToday = aging && agingAsOf !== today;
  if (!dirty.length && (!wantsToday || horizon() > today)) return { customers: 0, agingRebuilt: false };
  let agingRebuilt = false;
  db.transaction(() => {
    recompute(db, dirty);
    prepareCached(db, 'DELETE FROM rcv_dirty').run();
    const setAging = (day: string | null) => {
      prepareCached(db, 'DELETE FROM rcv_aging').run();
      if (day === null) {
        prepareCached(db, "DELETE FROM rcv_state WHERE key = 'aging_as_of'").run();
        return;
      }
      writeAging(db, null, day);
      prepareCached(db, "INSERT INTO rcv_state (key, value) VALUES ('aging_as_of', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(day);
      agingRebuilt = true;
    };
    const latest = horizon();
    if (wantsToday && latest <= today) setAging(today);
    // Kept rows hold only while no customer has a date beyond their day; many customers at once: made again when next read.
    else if (agingAsOf !== null && (latest > agingAsOf || dirty.length > ONE_BY_ONE)) setAging(null);
    else if (agingAsOf !== null) {
      for (const c of dirty) {
        prepareCached(db, 'DELETE FROM rcv_aging WHERE customer_id = ?').run(c);
        writeAging(db, c, agingAsOf);
      }
    }
  })();
  return { customers: dirty.length, agingRebuilt };
}

/** Every customer to be recomputed from scratch (after a bulk load, or to repair). */
export function rebuildReceivables(db: Database.Database): void {
  if (!keeps(db)) return;
  db.transaction(() => {
    db.exec(`INSERT OR IGNORE INTO rcv_dirty (customer_id)
      SELECT customer_id FROM sales_bookings UNION SELECT customer_id FROM sales_account_ledgers WHERE transaction_type IN ('payment', 'refund') UNION SELECT customer_id FROM rcv_customers`);
    db.exec(`DELETE FROM rcv_receipts_daily;
      INSERT INTO rcv_receipts_daily (transaction_date, amount)
        SELECT transaction_date, sum(CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE -debit_amount END) FROM sales_account_ledgers
        WHERE transaction_type IN ('payment', 'refund') AND status = 'active' AND deleted_at IS NULL GROUP BY transaction_date`);
  })();
}

/** What the report plans may trust as of a day: the kept allocation, and the kept aging's day. */
export function receivablesKept(db: Database.Database, asOf: string): ReceivablesKept | undefined {
  if (!keeps(db)) return undefined;
  if (prepareCached(db, 'SELECT 1 FROM rcv_dirty LIMIT 1').get() !== undefined) return undefined;
  const horizon = (prepareCached(db, 'SELECT max(horizon) FROM rcv_customers').pluck().get() as string | null) ?? '';
  if (horizon > asOf) return undefined;
  const agingAsOf = (prepareCached(db, "SELECT value FROM rcv_state WHERE key = 'aging_as_of'").pluck().get() as string | undefined) ?? null;
  return { current: true, agingAsOf };
}

function recompute(db: Database.Database, customers: string[]): void {
  if (!customers.length) return;
  const drop = prepareCached(db, 'DELETE FROM rcv_instalments WHERE customer_id = ?');
  const dropCustomer = prepareCached(db, 'DELETE FROM rcv_customers WHERE customer_id = ?');
  const insert = prepareCached(db, 'INSERT INTO rcv_instalments (id, customer_id, booking_id, project_key, due_date, amount, paid) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const upsert = prepareCached(db, 'INSERT INTO rcv_customers (customer_id, horizon, received) VALUES (?, ?, ?)');
  const horizonOf = (who: string) => `SELECT customer_id, max(max(booking_date), coalesce(max(cancellation_date), '')) AS d FROM sales_bookings
    WHERE deleted_at IS NULL AND ${who} GROUP BY customer_id`;
  const bookingHorizon = prepareCached(db, horizonOf('customer_id = @customer'));
  const everyoneHorizon = prepareCached(db, horizonOf('1 = 1'));
  type Row = Instalment & { customer_id: string; project_name: string | null };
  type ReceiptRow = Receipt & { customer_id: string; transaction_date: string };
  const write = (byCustomer: Map<string, { instalments: Row[]; receipts: ReceiptRow[]; horizon: string }>) => {
    for (const [customer, c] of byCustomer) {
      const { paid } = allocate(c.instalments, c.receipts);
      for (const i of c.instalments) insert.run(i.id, customer, i.booking_id, projectKey(i.project_name), i.due_date, i.amount, paid.get(i.id) ?? 0);
      const receiptHorizon = c.receipts.reduce((d, r) => (r.transaction_date > d ? r.transaction_date : d), '');
      upsert.run(customer, c.horizon > receiptHorizon ? c.horizon : receiptHorizon, c.receipts.reduce((a, r) => a + r.amount, 0));
    }
  };
  const gather = (customer: string | null) => {
    const q = customer === null ? { as_of: NOW } : { as_of: NOW, customer };
    const byCustomer = new Map<string, { instalments: Row[]; receipts: ReceiptRow[]; horizon: string }>();
    const of = (id: string) => {
      let c = byCustomer.get(id);
      if (!c) byCustomer.set(id, (c = { instalments: [], receipts: [], horizon: '' }));
      return c;
    };
    for (const i of prepareCached(db, customer === null ? INSTALMENTS : CUSTOMER_INSTALMENTS).all(q) as Row[]) of(i.customer_id).instalments.push(i);
    for (const r of prepareCached(db, customer === null ? RECEIPTS : CUSTOMER_RECEIPTS).all(q) as ReceiptRow[]) of(r.customer_id).receipts.push(r);
    for (const b of (customer === null ? everyoneHorizon.all() : bookingHorizon.all({ customer })) as { customer_id: string; d: string }[]) of(b.customer_id).horizon = b.d;
    return byCustomer;
  };
  if (customers.length > ONE_BY_ONE) {
    // Everyone: written in key order with the indexes and the daily trigger set aside,
    // then indexed and counted once (a tenth of the time of row-by-row upkeep).
    const aside = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'rcv_instalments' AND type IN ('index', 'trigger') AND sql IS NOT NULL").all() as { type: string; name: string; sql: string }[];
    for (const a of aside) db.exec(`DROP ${a.type.toUpperCase()} "${a.name}"`);
    db.exec('DELETE FROM rcv_instalments; DELETE FROM rcv_due_daily; DELETE FROM rcv_customers');
    const everyone = gather(null);
    const rows: [string, string, string, string, string | null, number, number][] = [];
    for (const [customer, c] of everyone) {
      const { paid } = allocate(c.instalments, c.receipts);
      for (const i of c.instalments) rows.push([i.id, customer, i.booking_id, projectKey(i.project_name), i.due_date, i.amount, paid.get(i.id) ?? 0]);
      c.instalments = [];
    }
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const r of rows) insert.run(...r);
    write(everyone);
    for (const a of aside) db.exec(a.sql);
    db.exec(`INSERT INTO rcv_due_daily (due_date, n, amount, paid)
      SELECT due_date, count(*), sum(amount), sum(paid) FROM rcv_instalments WHERE due_date IS NOT NULL GROUP BY due_date`);
    return;
  }
  for (const customer of customers) {
    drop.run(customer);
    dropCustomer.run(customer);
    write(gather(customer));
  }
}

/** The aging rows as of a day of one customer (or everyone), from the kept allocation. */
function writeAging(db: Database.Database, customer: string | null, asOf: string): void {
  const buckets = bucketsOf(DEFAULT_BUCKETS);
  // Everyone's or one customer's (by index: written apart, not as `@customer IS NULL OR …`).
  const who = customer === null ? '1 = 1' : 'customer_id = @customer';
  const q = customer === null ? {} : { customer };
  const rows = prepareCached(db, `SELECT id, customer_id, booking_id, project_key, due_date, amount, paid FROM rcv_instalments WHERE ${who} ORDER BY customer_id`).all(q) as KeptInstalment[];
  const received = new Map((prepareCached(db, `SELECT customer_id, received FROM rcv_customers WHERE ${who}`).all(q) as { customer_id: string; received: number }[])
    .map((r) => [r.customer_id, r.received]));
  // Contract value: live bookings, by customer and project (every booking is dated by as_of here).
  const contracts = prepareCached(db, `SELECT customer_id, project_name, sum(CASE WHEN status <> 'cancelled' THEN booking_amount ELSE 0 END) AS amount
    FROM sales_bookings WHERE deleted_at IS NULL AND ${who} GROUP BY customer_id, project_name`).all(q) as { customer_id: string; project_name: string | null; amount: number }[];
  const contract = new Map<string, Map<string, number>>();
  for (const c of contracts) {
    let m = contract.get(c.customer_id);
    if (!m) contract.set(c.customer_id, (m = new Map()));
    const key = projectKey(c.project_name);
    m.set(key, (m.get(key) ?? 0) + c.amount);
  }
  const insert = prepareCached(db, `INSERT INTO rcv_aging (project_key, customer_id, contract_value, due_to_date, received, received_against_due, outstanding_due, advance, not_due,
    d0_30, d31_60, d61_90, d91_180, d181_plus, overdue_total, oldest_overdue_date, next_due_date, next_due_amount)
    VALUES (@project_key, @customer_id, @contract_value, @due_to_date, @received, @received_against_due, @outstanding_due, @advance, @not_due,
    @d0_30, @d31_60, @d61_90, @d91_180, @d181_plus, @overdue_total, @oldest_overdue_date, @next_due_date, @next_due_amount)`);
  const put = (project: string, id: string, contractValue: number, view: ReturnType<typeof projectView>) =>
    insert.run({ project_key: project, customer_id: id, ...agingFigures(contractValue, view, asOf, buckets) });
  // A row per customer with a booking, for all projects and for each project booked.
  for (const [id, projects] of contract) {
    const mine: InstalmentState[] = [];
    const byProject = new Map<string, InstalmentState[]>();
    for (const i of rowsOf(rows, id)) {
      const s = instalmentState({ ...i, seq: 0 }, id, i.paid, asOf);
      mine.push(s);
      const list = byProject.get(i.project_key) ?? [];
      list.push(s);
      byProject.set(i.project_key, list);
    }
    put('', id, [...projects.values()].reduce((a, b) => a + b, 0), customerView(id, mine, received.get(id) ?? 0, asOf));
    for (const [project, amount] of projects) put(agingKey(project), id, amount, projectView(id, byProject.get(project) ?? []));
  }
}

// The kept rows are sorted by customer: each customer's are one run of them.
const runs = new WeakMap<KeptInstalment[], Map<string, [number, number]>>();
function rowsOf(rows: KeptInstalment[], customer: string): KeptInstalment[] {
  let index = runs.get(rows);
  if (!index) {
    index = new Map();
    for (let i = 0; i < rows.length; ) {
      let j = i;
      while (j < rows.length && rows[j]!.customer_id === rows[i]!.customer_id) j += 1;
      index.set(rows[i]!.customer_id, [i, j]);
      i = j;
    }
    runs.set(rows, index);
  }
  const at = index.get(customer);
  return at ? rows.slice(at[0], at[1]) : [];
}
