import { z } from 'zod';
import type { OperationSpec } from './operation.js';
import { bookingOperations } from './operations/bookings.js';
import { catalogOperations } from './operations/catalog.js';
import { customerOperations } from './operations/customers.js';
import { exportOperations } from './operations/exports.js';
import { leadOperations } from './operations/leads.js';
import { milestoneOperations } from './operations/milestones.js';
import { reportOperationSpecs } from './operations/reports.js';
import { syncOperations } from './operations/sync.js';
import { userOperations } from './operations/users.js';

export { reportOperations } from './operations/reports.js';

// The one contract: every operation Milepost offers, by name — each declared once with
// its domain (main/api/operations/) — merged here. The HTTP API and the Electron IPC
// bridge are two adapters over it; the renderer imports its types only.

export const contract = {
  ...userOperations,
  ...leadOperations,
  ...customerOperations,
  ...catalogOperations,
  ...milestoneOperations,
  ...bookingOperations,
  ...exportOperations,
  ...reportOperationSpecs,
  ...syncOperations,
} satisfies Record<string, OperationSpec>;

/** Operations called within a signed-in session. */
export type SessionOperation = keyof typeof contract;
export type OperationInput<K extends SessionOperation> = z.input<(typeof contract)[K]['input']>;
/** What an operation answers, as it runs. */
export type OperationOutput<K extends SessionOperation> = Awaited<ReturnType<(typeof contract)[K]['run']>>;

export const isSessionOperation = (name: string): name is SessionOperation => Object.hasOwn(contract, name);

/** The one operation outside a session: signing in. */
export const loginInput = z.strictObject({ tenant_id: z.string().max(64), username: z.string().max(64), password: z.string().max(1024) });

/** The spec of an operation, seen without its own types (what the transports read). */
export const specOf = (name: SessionOperation): OperationSpec => contract[name] as unknown as OperationSpec;

/** Operations that answer a document (a PDF): its HTTP route sends the file itself. */
export const documentOperations: ReadonlySet<string> = new Set((Object.keys(contract) as SessionOperation[]).filter((name) => specOf(name).document));
