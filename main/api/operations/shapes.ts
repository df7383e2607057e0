import { z } from 'zod';
import type { ServiceContext } from '../../domain/context.js';
import { recordId } from '../../domain/validation.js';
import { del, get, operation, patch, post, type OperationSpec } from '../operation.js';
import { everyone, type Rule } from '../rules.js';

// The shapes operations share: one record by id, and the operations of a plain record
// (main/services/entityService.ts) on their usual routes — `POST path`, `GET path`,
// `GET path/:id`, `PATCH path/:id`, `DELETE path/:id` — anything more given beside.

/** An operation on one record: its id beside the body's fields. */
export const withId = <Shape extends z.core.$ZodShape, Config extends z.core.$ZodObjectConfig>(body: z.ZodObject<Shape, Config>) =>
  body.extend({ id: recordId() });
/** An operation that takes one record's id and nothing else. */
export const byId = z.strictObject({ id: recordId() });

type More = Partial<Pick<OperationSpec, 'byCode' | 'said' | 'largeInput'>>;

/** What a plain record's service offers an operation: an entry taking its input as read by its schema. */
type Parsed<S extends z.ZodType, R> = { parsed(ctx: ServiceContext, input: z.output<S>): R };

export const createRecord = <C extends z.ZodType, R>(service: { inputs: { create: C }; create: Parsed<C, R> }, path: string, who: Rule, more: More = {}) =>
  operation({ input: service.inputs.create, creates: true, who, run: (s, input) => service.create.parsed(s.ctx, input), routes: [post(path)], ...more });

export const listRecords = <L extends z.ZodType, R>(service: { inputs: { list: L }; list: Parsed<L, R> }, path: string, more: More = {}) =>
  operation({ input: service.inputs.list, who: everyone, reads: true, run: (s, input) => service.list.parsed(s.ctx, input), routes: [get(path)], ...more });

export const getRecord = <R>(service: { get(ctx: ServiceContext, id: string): R }, path: string, more: More = {}) =>
  operation({ input: byId, who: everyone, reads: true, run: (s, { id }) => service.get(s.ctx, id), routes: [get(`${path}/:id`)], ...more });

export const updateRecord = <U extends z.ZodObject, R>(service: { inputs: { update: U }; update: { parsed(ctx: ServiceContext, id: string, patch: z.output<U>): R } }, path: string, who: Rule, more: More = {}) =>
  operation({ input: withId(service.inputs.update), who, run: (s, input) => {
    const { id, ...change } = input as { id: string } & z.output<U>;
    return service.update.parsed(s.ctx, id, change as z.output<U>);
  }, routes: [patch(`${path}/:id`)], ...more });

export const removeRecord = <R>(service: { remove(ctx: ServiceContext, id: string): R }, path: string, who: Rule, more: More = {}) =>
  operation({ input: byId, who, run: (s, { id }) => service.remove(s.ctx, id), routes: [del(`${path}/:id`)], ...more });
