import { z } from 'zod';
import { recordId } from '../../domain/validation.js';

/** An operation on one record: its id beside the body's fields. */
export const withId = <Shape extends z.core.$ZodShape, Config extends z.core.$ZodObjectConfig>(body: z.ZodObject<Shape, Config>) =>
  body.extend({ id: recordId() });
/** An operation that takes one record's id and nothing else. */
export const byId = z.strictObject({ id: recordId() });
