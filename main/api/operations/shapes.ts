import { z } from 'zod';
import type { ServiceContext } from '../../domain/context.js';
import { recordId } from '../../domain/validation.js';
import { del, get, operation, patch, post, type HttpRoute, type OperationSpec } from '../operation.js';
import { everyone, type Rule } from '../rules.js';
import type { Session } from '../session.js';

// The shapes operations share. Most operations run one service entry (a `parsing` of
// main/domain/validation.ts): its schema is the operation's input, its `.parsed` what
// runs it — `runs(entry, route, { who })`, `runsOn` for an entry on one record by id,
// `reads` for a read open to everyone. A plain record (main/services/entityService.ts)
// has its usual routes: `POST path`, `GET path`, `GET path/:id`, `PATCH path/:id`,
// `DELETE path/:id`.

/** An operation on one record: its id beside the body's fields. */
export const withId = <Shape extends z.core.$ZodShape, Config extends z.core.$ZodObjectConfig>(body: z.ZodObject<Shape, Config>) =>
  body.extend({ id: recordId() });
/** An operation that takes one record's id and nothing else. */
export const byId = z.strictObject({ id: recordId() });

/** A service entry: its schema, and what runs on a value that schema has read. */
export interface Entry<S extends z.ZodType, R> {
  input: S;
  parsed(ctx: ServiceContext, input: z.output<S>): R;
}
/** A service entry on one record, named by its id beside the input. */
export interface EntryOn<S extends z.ZodObject, R> {
  input: S;
  parsed(ctx: ServiceContext, id: string, input: z.output<S>): R;
}

/** What an operation says besides its input and what runs it: who may, and how it is reached. */
type Declared = Omit<OperationSpec, 'input' | 'run' | 'routes'>;
const reached = (route: HttpRoute | undefined) => (route ? { routes: [route] } : {});

/** An operation that runs a service entry on its input. */
export const runs = <S extends z.ZodType, R>(entry: Entry<S, R>, route: HttpRoute | undefined, declared: Declared) =>
  operation({ input: entry.input, run: (s, input) => entry.parsed(s.ctx, input), ...reached(route), ...declared });

/** An operation that runs a service entry on one record: the record's id beside the entry's input. */
export const runsOn = <S extends z.ZodObject, R>(entry: EntryOn<S, R>, route: HttpRoute, declared: Declared) =>
  operation({
    input: withId(entry.input),
    run: (s, input) => {
      const { id, ...body } = input as { id: string };
      return entry.parsed(s.ctx, id, body as z.output<S>);
    },
    routes: [route],
    ...declared,
  });

/** A read open to everyone (a rep's under rep_scope = own runs on their share). */
export const reads = <S extends z.ZodType, R>(entry: Entry<S, R>, route: HttpRoute | undefined, more: Partial<Declared> = {}) =>
  runs(entry, route, { who: everyone, reads: true, ...more });

/** A read of one record by its id, open to everyone. */
export const readsOne = <R>(read: (ctx: ServiceContext, id: string) => R, route: HttpRoute, more: Partial<Declared> = {}) =>
  operation({ input: byId, who: everyone, reads: true, run: (s, { id }) => read(s.ctx, id), routes: [route], ...more });

/** A read that takes no input, open to everyone. */
export const readsPlain = <R>(read: (s: Session) => R, route: HttpRoute | undefined) =>
  operation({ input: z.strictObject({}), who: everyone, reads: true, run: (s) => read(s), ...reached(route) });

type More = Partial<Pick<OperationSpec, 'byCode' | 'said' | 'largeInput'>>;

export const createRecord = <C extends z.ZodType, R>(service: { inputs: { create: C }; create: Entry<C, R> }, path: string, who: Rule, more: More = {}) =>
  runs(service.create, post(path), { who, creates: true, ...more });

export const listRecords = <L extends z.ZodType, R>(service: { inputs: { list: L }; list: Entry<L, R> }, path: string, more: More = {}) =>
  reads(service.list, get(path), more);

export const getRecord = <R>(service: { get(ctx: ServiceContext, id: string): R }, path: string, more: More = {}) =>
  readsOne(service.get, get(`${path}/:id`), more);

export const updateRecord = <U extends z.ZodObject, R>(service: { update: EntryOn<U, R> }, path: string, who: Rule, more: More = {}) =>
  runsOn(service.update, patch(`${path}/:id`), { who, ...more });

export const removeRecord = <R>(service: { remove(ctx: ServiceContext, id: string): R }, path: string, who: Rule, more: More = {}) =>
  operation({ input: byId, who, run: (s, { id }) => service.remove(s.ctx, id), routes: [del(`${path}/:id`)], ...more });
