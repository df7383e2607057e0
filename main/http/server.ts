import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { admitArrival } from '../services/import/reader.js';
import { isSessionOperation, loginInput, reportOperations, specOf } from '../api/contract.js';
import { Sessions, type Who } from '../api/session.js';
import { AppError } from '../domain/errors.js';
import { ISO_INSTANT, parseInput } from '../domain/validation.js';
import { Engine, type EngineReply } from '../engine/engine.js';
import { inlineEngine, workerPool, type EngineHost } from '../engine/host.js';
import type { TenantManager } from '../tenants.js';
import { httpError } from './errors.js';
import { XLSX_TYPE } from '../services/xlsxExport.js';
import { routes } from './routes.js';

// `milepost serve`: the HTTP adapter over the engine (main/engine/). It maps routes to
// operations and errors to statuses, checks tokens, and holds no data and no business
// rule of its own: each call goes to the tenant's engine, off this thread.

export const BODY_LIMIT = 1024 * 1024;
/** Operations that carry photos or import files: ten 10 MB photos in base64, or a large import file. */
export const LARGE_BODY_LIMIT = 150 * 1024 * 1024;
const takesLargeInput = (op: string) => isSessionOperation(op) && Boolean(specOf(op).largeInput);

const NUMERIC_QUERY = new Set(['limit', 'offset', 'floor', 'hours']);
/** Amounts asked about in a query (a cancellation's preview): decimals, checked as money by the operation. */
const MONEY_QUERY = new Set(['forfeiture_amount', 'refund_amount', 'booking_amount']);

/** Query strings are text; the contract speaks numbers and booleans where it means them. */
function queryInput(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (key === 'format') continue;
    if (Array.isArray(value)) throw new AppError('bad_request', `${key} is given more than once`, [{ field: key, message: 'is given more than once' }]);
    if (NUMERIC_QUERY.has(key) && typeof value === 'string' && /^-?\d{1,12}$/.test(value)) out[key] = Number(value);
    else if (MONEY_QUERY.has(key) && typeof value === 'string' && /^-?\d{1,13}(\.\d+)?$/.test(value)) out[key] = Number(value);
    else if ((key === 'include_deleted' || key === 'include_inactive' || key === 'active') && (value === 'true' || value === 'false')) out[key] = value === 'true';
    else out[key] = value;
  }
  return out;
}

function bodyInput(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('bad_request', 'the body must be a JSON object', [{ field: '(body)', message: 'must be a JSON object' }]);
  return body as Record<string, unknown>;
}

/** SPEC §4: `If-Match: "<updated_at>"` names the copy a change is based on, as `expected_updated_at` does in the body. */
function basedOnHeader(req: FastifyRequest, op: string): Record<string, unknown> {
  const header = req.headers['if-match'];
  if (header === undefined) return {};
  const schema = isSessionOperation(op) ? (specOf(op).input as { shape?: Record<string, unknown> }) : undefined;
  if (!schema?.shape || !('expected_updated_at' in schema.shape)) {
    throw new AppError('bad_request', 'If-Match is taken only by changes to a lead, customer, booking or campaign', [{ field: 'If-Match', message: 'is not taken by this operation' }]);
  }
  const version = String(header).trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (!ISO_INSTANT.test(version)) {
    throw new AppError('validation_failed', 'If-Match: must be the ETag the record was read with (the time it was last changed)', [{ field: 'If-Match', message: 'must be the ETag the record was read with' }]);
  }
  return { expected_updated_at: version };
}

/** `?format=`: csv or xlsx for a report (SPEC §6), json anywhere; anything else is refused, not ignored. */
function checkFormat(req: FastifyRequest, report: boolean): void {
  const format = (req.query as Record<string, unknown>).format;
  if (format === undefined || format === 'json' || (report && (format === 'csv' || format === 'xlsx'))) return;
  const message = report ? 'must be json, csv or xlsx' : 'is taken only by report routes (csv, xlsx); this route answers JSON';
  throw new AppError('validation_failed', `format: ${message}`, [{ field: 'format', message }]);
}

/** A report asked for as an Excel workbook: `?format=xlsx` or an Accept naming the .xlsx type. */
const wantsXlsx = (req: FastifyRequest) =>
  (req.query as Record<string, unknown>).format === 'xlsx' || (req.headers.accept ?? '').includes(XLSX_TYPE);

const wantsCsv = (req: FastifyRequest) =>
  (req.query as Record<string, unknown>).format === 'csv' || (req.headers.accept ?? '').split(',').some((a) => a.trim().startsWith('text/csv'));

/** The built renderer (`npm run build`), served at `/` when present. */
export const defaultRendererDir = () => process.env.MILEPOST_RENDERER_DIR ?? fileURLToPath(new URL('../../dist/renderer', import.meta.url));

// The same strict policy as the desktop window (SPEC §7): only our own origin.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "font-src 'self' data:",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * The Host names a request to a server bound to `host`:`port` may carry: the
 * bound address and the loopback names, so a page on another site that rebinds its DNS
 * name to 127.0.0.1 cannot reach the API. A server bound to every interface (0.0.0.0, ::)
 * is reached by any name and checks none.
 */
export function hostsAllowed(host: string, port: number): ((value: string | undefined) => boolean) | undefined {
  if (host === '0.0.0.0' || host === '::') return undefined;
  const names = new Set([host.includes(':') ? `[${host}]` : host, 'localhost', '127.0.0.1', '[::1]'].map((h) => `${h.toLowerCase()}:${port}`));
  return (value) => value !== undefined && names.has(value.toLowerCase());
}

/** The answer the engine made, sent as it says. */
function send(reply: FastifyReply, answer: EngineReply) {
  if (answer.kind === 'file') {
    const body = typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength);
    return reply.type(answer.contentType).header('content-disposition', `attachment; filename="${answer.fileName}"`).send(body);
  }
  if (answer.etag) reply.header('etag', answer.etag);
  return reply.status(answer.status).type('application/json; charset=utf-8').send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
}

export function buildServer(engine: EngineHost, sessions: Sessions, rendererDir = defaultRendererDir(), allowHost?: (value: string | undefined) => boolean): FastifyInstance {
  const app = Fastify({ bodyLimit: BODY_LIMIT, logger: false, return503OnClosing: true });
  if (allowHost) {
    app.addHook('onRequest', async (req) => {
      if (!allowHost(req.headers.host)) throw new AppError('forbidden', `requests to this server must name it as localhost or its address, not ${req.headers.host ?? 'nothing'}`, [{ field: 'Host', message: 'is not this server' }]);
    });
  }
  // A JSON content type with no body at all (a DELETE, a POST sync/run from a client that always sends the header) is no input, not an error.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => (body === '' ? done(null, undefined) : json(req, body as string, done)));
  const hasRenderer = fs.existsSync(path.join(rendererDir, 'index.html'));
  if (hasRenderer) void app.register(fastifyStatic, { root: rendererDir, prefix: '/', index: ['index.html'] });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('Referrer-Policy', 'no-referrer');
    return payload;
  });

  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = httpError(err);
    if (status >= 500) console.error(err);
    if (typeof body.error.retry_after_s === 'number') void reply.header('Retry-After', String(body.error.retry_after_s));
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    // The app's own screens (client-side routes) load the renderer.
    if (hasRenderer && req.method === 'GET' && !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html')) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    void reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}`, details: [] } });
  });

  app.post('/api/v1/auth/login', async (req, reply) => {
    const input = parseInput(loginInput, bodyInput(req.body));
    const { token, expires_at } = await sessions.login(input, req.ip);
    return reply.status(200).send({ data: { token, expires_at } });
  });

  const credentialsOf = (req: FastifyRequest) => {
    const header = req.headers.authorization;
    const tenant = req.headers['x-tenant-id'];
    return { token: header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined, tenant: Array.isArray(tenant) ? tenant[0] : tenant };
  };
  const authenticate = async (req: FastifyRequest): Promise<Who> => {
    const { token, tenant } = credentialsOf(req);
    return sessions.verify(token, tenant);
  };
  // Signing out ends the token here, not only in the browser.
  app.post('/api/v1/auth/logout', async (req, reply) => {
    const { token, tenant } = credentialsOf(req);
    await sessions.revoke(token, tenant);
    return reply.status(200).send({ data: null });
  });

  // A large body is read only from a signed-in caller, and only for an operation that
  // takes one: the token is checked before the body arrives.
  const signedIn = new WeakMap<FastifyRequest, Who>();
  // An import's file admitted before its body: let go when the request ends, however it ends.
  const admitted = new WeakMap<FastifyRequest, () => void>();
  app.addHook('onResponse', async (req) => admitted.get(req)?.());
  app.addHook('onRequestAbort', async (req) => admitted.get(req)?.());
  const largeBodyGuard = (op: (req: FastifyRequest) => string) => async (req: FastifyRequest, reply: FastifyReply) => {
    const who = await authenticate(req);
    signedIn.set(req, who);
    // An import that would be refused for the tenant's running one, or too many being read, is refused before its file arrives.
    const name = op(req);
    if (name === 'imports.preview' || name === 'imports.start') {
      const release = admitArrival(who.tenantId, await engine.importRoom(who, name));
      admitted.set(req, release);
      reply.raw.once('close', release);
    }
    if (!takesLargeInput(name) && Number(req.headers['content-length'] ?? 0) > BODY_LIMIT) {
      throw Object.assign(new Error(`the body is larger than ${BODY_LIMIT} bytes`), { statusCode: 413 });
    }
  };
  const sessionOf = async (req: FastifyRequest) => signedIn.get(req) ?? authenticate(req);

  // The app's transport: every operation of the contract by name, input as the body.
  app.post('/api/v1/rpc/:op', {
    bodyLimit: LARGE_BODY_LIMIT,
    onRequest: largeBodyGuard((req) => (req.params as { op: string }).op),
  }, async (req, reply) => {
    const { op } = req.params as { op: string };
    if (!isSessionOperation(op)) throw new AppError('not_found', `no operation '${op}'`, [{ field: 'op', message: 'unknown operation' }]);
    return send(reply, await engine.respond(await sessionOf(req), { op, input: bodyInput(req.body), rpc: true }));
  });

  for (const route of routes) {
    const large = takesLargeInput(route.op);
    app.route({
      method: route.method,
      url: route.path,
      ...(large ? { bodyLimit: LARGE_BODY_LIMIT, onRequest: largeBodyGuard(() => route.op) } : {}),
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const who = await sessionOf(req);
        const params = req.params as Record<string, string>;
        const fields = route.method === 'GET' || route.method === 'DELETE' ? queryInput(req.query as Record<string, unknown>) : bodyInput(req.body);
        const input = { ...fields, ...basedOnHeader(req, route.op), ...params };
        const report = route.op in reportOperations;
        checkFormat(req, report);
        const format = report && wantsXlsx(req) ? 'xlsx' : report && wantsCsv(req) ? 'csv' : 'json';
        return send(reply, await engine.respond(who, { op: route.op, input, format, byId: route.method === 'GET' && 'id' in params }));
      },
    });
  }
  return app;
}

/**
 * Start listening; resolves once the port is bound. Each tenant's engine runs in a
 * worker thread of its own (`engine: 'inline'` runs it on this thread, as before issue
 * 19, for the benchmark's comparison).
 */
export async function startServer(manager: TenantManager, { host = '127.0.0.1', port = 0, engine: where = 'workers' }: { host?: string; port?: number; engine?: 'workers' | 'inline' } = {}) {
  const engine = where === 'inline' ? inlineEngine(new Engine(manager)) : workerPool({ dataDir: manager.dataDir, migrations: manager.migrationsFolder }).host;
  // The port is known once listening: the Host check reads it then.
  let check: ((value: string | undefined) => boolean) | undefined = () => true;
  const app = buildServer(engine, new Sessions(engine, manager.dataDir), undefined, (value) => check?.(value) ?? true);
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  check = hostsAllowed(host, boundPort);
  return {
    app,
    engine,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    async close() {
      await app.close();
      await engine.close();
      manager.closeAll();
    },
  };
}
