// Hybrid logical clocks (SPEC §8): a timestamp that follows the wall clock but never
// goes backwards and orders every change a device makes after every change it has
// seen. Written as fixed-width text so that comparing two strings (byte order, as
// SQLite and Postgres' "C" collation do) compares the clocks:
//   <15-digit ms since epoch>:<5-digit counter>:<node id>

export interface Hlc {
  ms: number;
  counter: number;
  node: string;
}

const MS_WIDTH = 15;
const COUNTER_WIDTH = 5;
const MAX_COUNTER = 10 ** COUNTER_WIDTH - 1;

export const formatHlc = ({ ms, counter, node }: Hlc) =>
  `${String(ms).padStart(MS_WIDTH, '0')}:${String(counter).padStart(COUNTER_WIDTH, '0')}:${node}`;

export function parseHlc(text: string): Hlc {
  const m = /^(\d{15}):(\d{5}):(.+)$/.exec(text);
  if (!m) throw new Error(`not a hybrid logical clock: ${text}`);
  return { ms: Number(m[1]), counter: Number(m[2]), node: m[3]! };
}

/** The clock's next tick for a local event, after `last` (the latest this device has issued or seen). */
export function tick(last: Hlc | null, wallMs: number, node: string): Hlc {
  if (!last || wallMs > last.ms) return { ms: wallMs, counter: 0, node };
  if (last.counter >= MAX_COUNTER) return { ms: last.ms + 1, counter: 0, node };
  return { ms: last.ms, counter: last.counter + 1, node };
}

/** The clock after receiving a remote timestamp: later than both. */
export function receive(last: Hlc | null, remote: Hlc, wallMs: number, node: string): Hlc {
  const base = !last || remote.ms > last.ms || (remote.ms === last.ms && remote.counter > last.counter) ? remote : last;
  return tick(base, wallMs, node);
}
