import pg from 'pg';

// What a sync reports: its progress as it goes, and what it did, refused, renamed and
// merged when it is done (SPEC §8).


export interface SyncProgress {
  phase: 'connect' | 'push' | 'pull' | 'done';
  pushed: number;
  pulled: number;
}

/** What the server found when two devices' changes met: a unit or type overbooked, a unit held twice. */
export type Conflict =
  | { kind: 'overbooking'; booking_id: string; booked: number; units: number; words?: string }
  /** Of two live holds of one unit, this one was released (the other was made earlier). */
  | { kind: 'hold_conflict'; hold_id: string; unit_id: string; words: string };

/** A record the server changed of its own accord when it arrived: a code made unique, a user merged. */
export interface Renamed {
  kind: 'renamed' | 'merged_user' | 'merged_unit';
  table: string;
  id: string;
  column: string;
  from: string;
  to: string;
  /** merged_user: the account it was merged into. */
  into?: string;
  words: string;
}

export interface Refusal {
  mutation_id: number;
  reason: string;
  /** What the server refused, said for a person. */
  words: string;
}

export interface SyncSummary {
  pushed: number;
  skipped: number;
  rejected: Refusal[];
  pulled: number;
  conflicts: Conflict[];
  renamed: Renamed[];
  /** Changes the server applied under its own clock, the device's being ahead. */
  restamped: number;
  /** How far this device's clock is from the server's (ms, positive: the device is behind). */
  clock_offset_ms: number;
  /** The tenant's settings this device took from the server (a device that joined). */
  adopted: Record<string, { from: string; to: string }>;
  /** The device found its identity reused (a restored backup) and took a new one. */
  new_identity: boolean;
  pending: number;
  last_sync: string;
}

export interface SyncOptions {
  /** A device role's connection URL (milepost server add-tenant prints it). */
  url: string;
  pushBatch?: number;
  pullPage?: number;
  onProgress?: (p: SyncProgress) => void;
  /** The Postgres client to use (tests wrap it to cut the connection at chosen points). */
  connect?: (url: string) => Promise<pg.ClientBase & { end: () => Promise<void> }>;
  clock?: () => Date;
}
