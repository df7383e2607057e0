import { z } from 'zod';
import type { ServiceContext } from '../../domain/context.js';
import { AppError } from '../../domain/errors.js';
import { recordId, parsing } from '../../domain/validation.js';
import { importInput } from './fields.js';
import { holdImport } from './reader.js';
import { runImport, type ImportResult } from './run.js';

// Imports the app runs in the background, polled for their progress.
interface ImportJob {
  id: string;
  tenant: string;
  state: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  result: ImportResult | null;
  error: { code: string; message: string; details: { field: string; message: string }[] } | null;
  started_at: string;
}
const jobs = new Map<string, ImportJob>();
const JOB_KEPT_MS = 60 * 60 * 1000;

/** Start an import; its progress and result are read with `importStatus`. */
export const startImport = parsing(importInput, (ctx: ServiceContext, request) => {
  const release = holdImport(ctx.settings.tenant_id, `the import of ${request.file_name}`);
  const job: ImportJob = { id: ctx.newId(), tenant: ctx.settings.tenant_id, state: 'running', done: 0, total: 0, result: null, error: null, started_at: new Date().toISOString() };
  jobs.set(job.id, job);
  void runImport.parsed(ctx, request, (done, total) => Object.assign(job, { done, total })).then(
    (result) => Object.assign(job, { state: 'done', result }),
    (err: unknown) => {
      const failure = err instanceof AppError ? err : new AppError('bad_request', (err as Error).message ?? String(err));
      Object.assign(job, { state: 'failed', error: { code: failure.code, message: failure.message, details: failure.details } });
    },
  ).finally(() => {
    release();
    setTimeout(() => jobs.delete(job.id), JOB_KEPT_MS).unref();
  });
  return { job_id: job.id };
});

export const importStatusInput = z.strictObject({ job_id: recordId() });

export const importStatus = parsing(importStatusInput, (ctx: ServiceContext, { job_id }): Omit<ImportJob, 'tenant'> => {
  const job = jobs.get(job_id);
  if (!job || job.tenant !== ctx.settings.tenant_id) throw new AppError('not_found', `no import '${job_id}'`, [{ field: 'job_id', message: 'no such import' }]);
  const { tenant: _t, ...shown } = job;
  return shown;
});
