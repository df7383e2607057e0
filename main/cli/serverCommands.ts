import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../http/server.js';
import { AppError } from '../domain/errors.js';
import { parseInput } from '../domain/validation.js';
import { syncReport, syncTenant } from '../sync/tenantSync.js';
import { addTenant, initServer } from '../sync/server.js';
import { syncConfigInput } from '../sync/runtime.js';
import { integerOption, str, tenantOf, type Command } from './options.js';

// `milepost serve`, head office's central Postgres, and sync.

/**
 * Started by `npx milepost serve`, the server is a grandchild of npm (npm → sh → node),
 * and a SIGTERM to the npx process never reaches it: it stops too when the process that
 * launched it has gone (checked each second). Started any other way (`node
 * bin/milepost.js serve` under nohup, a service manager) it outlives its parent.
 */
export function followLauncher(stop: () => void, env: NodeJS.ProcessEnv = process.env, parentNow = () => process.ppid, everyMs = 1000) {
  if (env.npm_command !== 'exec') return;
  const launcher = parentNow();
  const timer = setInterval(() => {
    if (parentNow() === launcher) return;
    clearInterval(timer);
    stop();
  }, everyMs);
  timer.unref();
}

export const serverCommands: Record<string, Command> = {
  serve: {
    usage: 'milepost serve [--host 127.0.0.1] [--port 0]',
    options: { host: str, port: str },
    required: [],
    run: async (m, v, _positionals, out) => {
      const port = integerOption(v, 'port', 0);
      if (port > 65_535) throw new AppError('validation_failed', '--port must be at most 65535', [{ field: 'port', message: 'must be at most 65535' }]);
      const server = await startServer(m, { host: (v.host as string | undefined) ?? '127.0.0.1', port });
      out.write(`listening on ${server.url}\n`);
      // Which data it serves: signing in to a tenant of another folder would only say the password is wrong.
      const tenants = fs.existsSync(path.join(m.dataDir, 'tenants'))
        ? fs.readdirSync(path.join(m.dataDir, 'tenants')).filter((f) => f.endsWith('.sqlite')).map((f) => f.slice(0, -'.sqlite'.length)).sort()
        : [];
      out.write(`data folder ${m.dataDir}: ${tenants.length ? `tenants ${tenants.join(', ')}` : 'no tenants yet (milepost tenant create --tenant ID …)'}\n`);
      // Serve until asked to stop; then close the server and every database (WAL checkpointed).
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        followLauncher(stop);
      });
      await server.close();
      return 'stopped';
    },
  },
  'server init': {
    usage: 'milepost server init --pg ADMIN_URL',
    options: { pg: str },
    required: ['pg'],
    run: async (_m, v) => {
      const r = await initServer(String(v.pg));
      return `created the Milepost schema (tenant schema version ${r.schema_version}, ${r.statements} statements)`;
    },
  },
  'server add-tenant': {
    usage: 'milepost server add-tenant --pg ADMIN_URL --tenant ID --password PW [--name NAME] [--device NAME]',
    options: { pg: str, tenant: str, password: str, name: str, device: str },
    required: ['pg', 'tenant', 'password'],
    run: async (_m, v) => {
      const r = await addTenant(String(v.pg), { tenant: tenantOf(v), password: String(v.password), name: v.name as string | undefined, device: v.device as string | undefined });
      return `tenant ${tenantOf(v)}: login role ${r.role}\ndevices connect with: ${r.url}`;
    },
  },
  sync: {
    usage: 'milepost sync --tenant ID --pg URL [--pull-page N]\n  --pull-page: rows a pull asks for at a time (default 2000)',
    options: { tenant: str, pg: str, 'pull-page': str },
    required: ['tenant', 'pg'],
    run: async (m, v) => {
      const { url } = parseInput(syncConfigInput.pick({ url: true }), { url: v.pg });
      const pullPage = integerOption(v, 'pull-page', 2000);
      if (pullPage < 1 || pullPage > 10_000) throw new AppError('validation_failed', '--pull-page must be from 1 to 10000', [{ field: 'pull-page', message: 'must be from 1 to 10000' }]);
      const s = await syncTenant(m, tenantOf(v), {
        url,
        pullPage,
        onProgress: (p) => process.stderr.write(`sync: ${p.phase}${p.phase === 'connect' ? '' : ` (pushed ${p.pushed}, pulled ${p.pulled})`}\n`),
        onWait: (holder) => process.stderr.write(`sync: waiting for another sync of this tenant to end (${holder})\n`),
      });
      return syncReport(tenantOf(v), s).join('\n');
    },
  },
};
