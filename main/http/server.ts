import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { dispatch, dispatchCsv } from '../api/handlers.js';
import { operations, reportOperations } from '../api/operations.js';
import { Sessions, type Session } from '../api/session.js';
import { AppError } from '../domain/errors.js';
import { parseInput } from '../domain/validation.js';
import type { TenantManager } from '../tenants.js';
import { httpError } from './errors.js';
import { routes } from './routes.js';

// `milepost serve`: the HTTP adapter over the handler table. It maps routes to
// operations and errors to statuses, and holds no business rule of its own.

export const BODY_LIMIT = 1024 * 1024;

const NUMERIC_QUERY = new Set(['limit', 'offset']);

/** Query strings are text; the contract speaks numbers and booleans where it means them. */
function queryInput(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (key === 'format') continue;
    if (Array.isArray(value)) throw new AppError('bad_request', `${key} is given more than once`, [{ field: key, message: 'is given more than once' }]);
    if (NUMERIC_QUERY.has(key) && typeof value === 'string' && /^\d{1,12}$/.test(value)) out[key] = Number(value);
    else if (key === 'include_deleted' && (value === 'true' || value === 'false')) out[key] = value === 'true';
    else out[key] = value;
  }
  return out;
}

function bodyInput(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('bad_request', 'the body must be a JSON object', [{ field: '(body)', message: 'must be a JSON object' }]);
  return body as Record<string, unknown>;
}

const wantsCsv = (req: FastifyRequest) =>
  (req.query as Record<string, unknown>).format === 'csv' || (req.headers.accept ?? '').split(',').some((a) => a.trim().startsWith('text/csv'));

export function buildServer(manager: TenantManager, sessions = new Sessions(manager)): FastifyInstance {
  const app = Fastify({ bodyLimit: BODY_LIMIT, logger: false, return503OnClosing: true });

  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = httpError(err);
    if (status >= 500) console.error(err);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}`, details: [] } });
  });

  app.post('/api/v1/auth/login', async (req, reply) => {
    const input = parseInput(operations['auth.login'].input, bodyInput(req.body));
    const { token, expires_at } = await sessions.login(input);
    return reply.status(200).send({ data: { token, expires_at } });
  });

  const authenticate = async (req: FastifyRequest): Promise<Session> => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const tenant = req.headers['x-tenant-id'];
    return sessions.verify(token, Array.isArray(tenant) ? tenant[0] : tenant);
  };

  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const session = await authenticate(req);
        const params = req.params as Record<string, string>;
        const fields = route.method === 'GET' || route.method === 'DELETE' ? queryInput(req.query as Record<string, unknown>) : bodyInput(req.body);
        const input = { ...fields, ...params };
        if (route.op in reportOperations && wantsCsv(req)) {
          const name = reportOperations[route.op as keyof typeof reportOperations];
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${name}.csv"`)
            .send(dispatchCsv(route.op as keyof typeof reportOperations, session, input));
        }
        const { created, data } = dispatch(route.op, session, input);
        return reply.status(created ? 201 : 200).send({ data });
      },
    });
  }
  return app;
}

/** Start listening; resolves once the port is bound. */
export async function startServer(manager: TenantManager, { host = '127.0.0.1', port = 0 } = {}) {
  const app = buildServer(manager);
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    app,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    async close() {
      await app.close();
      manager.closeAll();
    },
  };
}
