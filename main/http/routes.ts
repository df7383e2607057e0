import { contract, specOf, type SessionOperation } from '../api/contract.js';
import type { HttpRoute } from '../api/operation.js';

// SPEC §6: the seed's routes, exactly, and the base records', each onto one operation —
// read from the operations themselves, where each declares its own (main/api/operations/).
// `:id`-style parameters join the body (POST/PATCH) or the query (GET) as input fields.

export interface Route extends HttpRoute {
  op: SessionOperation;
}

export const routes: Route[] = (Object.keys(contract) as SessionOperation[]).flatMap((op) => (specOf(op).routes ?? []).map((r) => ({ ...r, op })));
