import { AppError, type ErrorCode } from '../domain/errors.js';

// The one mapping from errors to HTTP (SPEC §6 envelope).

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 422,
  unavailable: 503,
  rate_limited: 429,
};

export interface ErrorBody {
  error: { code: string; message: string; details: { field: string; message: string }[] } & Record<string, unknown>;
}

export function httpError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    return { status: statusOf[err.code], body: { error: { code: err.code, message: err.message, details: err.details, ...err.extra } } };
  }
  // Fastify's own refusals: malformed JSON, too large, wrong media type.
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const code = e.statusCode === 413 ? 'payload_too_large' : e.statusCode === 415 ? 'unsupported_media_type' : 'bad_request';
    const message = e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.message?.includes('JSON') ? `the body is not valid JSON: ${e.message}` : (e.message ?? 'bad request');
    return { status: e.statusCode, body: { error: { code, message, details: [{ field: '(body)', message }] } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'something went wrong on our side; nothing was saved', details: [] } } };
}
