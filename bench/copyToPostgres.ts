import type Database from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

// The same rows in Postgres as in a tenant's SQLite, table by table with COPY (text
// format): what the benchmark compares and the tests check reports on.

const escape = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
};

export async function copyTable(sqlite: Database.Database, client: pg.ClientBase, table: string): Promise<number> {
  const columns = (sqlite.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
  const rows = sqlite.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}"`).raw().iterate() as IterableIterator<unknown[]>;
  let count = 0;
  function* lines() {
    let chunk: string[] = [];
    for (const row of rows) {
      chunk.push(row.map(escape).join('\t'));
      count += 1;
      if (chunk.length === 5000) {
        yield `${chunk.join('\n')}\n`;
        chunk = [];
      }
    }
    if (chunk.length) yield `${chunk.join('\n')}\n`;
  }
  const sink = client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(lines()), sink);
  return count;
}
