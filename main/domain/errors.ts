// Errors are values with a code, made here and mapped to an exit code, an HTTP
// status or an IPC error in one place each (STYLE "Habits").

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  /** A service Milepost depends on (the central Postgres) cannot be reached. */
  | 'unavailable'
  /** Too many at once (sign-ins): try again after `retry_after_s`. */
  | 'rate_limited';

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: FieldError[] = [],
    /** Extra machine-readable facts, e.g. the expected balance of a 409. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const validationError = (field: string, message: string) =>
  new AppError('validation_failed', `${field}: ${message}`, [{ field, message }]);

export const notFound = (entity: string, id: string) =>
  new AppError('not_found', `${entity} '${id}' not found`, [{ field: 'id', message: `no ${entity} with this id` }]);

export const conflict = (message: string, field?: string, extra: Record<string, unknown> = {}) =>
  new AppError('conflict', message, field ? [{ field, message }] : [], extra);

/** SQLite constraint failures that slipped past validation become 409/422, never a crash. */
export function fromSqliteError(err: unknown): AppError | null {
  if (!(err instanceof Error) || !('code' in err)) return null;
  const code = String((err as { code: unknown }).code);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const column = /UNIQUE constraint failed: \w+\.(\w+)/.exec(err.message)?.[1] ?? 'id';
    return conflict(`a record with this ${column} already exists`, column);
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new AppError('validation_failed', 'a referenced record does not exist', [{ field: 'reference', message: 'does not exist' }]);
  }
  if (code === 'SQLITE_CONSTRAINT_CHECK') {
    const name = /CHECK constraint failed: (\w+)/.exec(err.message)?.[1] ?? 'value';
    return new AppError('validation_failed', `invalid value (${name})`, [{ field: name, message: 'violates a rule of the record' }]);
  }
  return null;
}
