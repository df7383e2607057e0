import { parseArgs } from 'node:util';
import { AppError } from '../domain/errors.js';
import { resolveDataDir, TenantManager } from '../tenants.js';
import { common, inOptionWords, withNegativeValues, type Command, type Output, type Values } from './options.js';
import { dataCommands } from './dataCommands.js';
import { serverCommands } from './serverCommands.js';
import { tenantCommands } from './tenantCommands.js';
import { unitCommands } from './unitCommands.js';

// SPEC §6 CLI. Errors go to stderr with a non-zero exit; every command writes all or nothing.

const commands: Record<string, Command> = { ...tenantCommands, ...dataCommands, ...unitCommands, ...serverCommands };

function helpText(): string {
  return ['usage:', ...Object.values(commands).map((c) => `  ${c.usage}`), '', 'every command takes --data-dir DIR (else MILEPOST_DATA_DIR, else the app-data folder)'].join('\n');
}

/** Run the CLI; returns the exit code (0 ok, 1 failed, 2 usage or invalid input). */
export async function main(argv: string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const two = argv.slice(0, 2).join(' ');
  const key = commands[two] ? two : argv[0] ?? '';
  const command = commands[key];
  if (key === '--help' || key === '-h' || key === 'help') {
    out.write(`${helpText()}\n`);
    return 0;
  }
  if (!command) {
    err.write(`${argv.length ? `unknown command: ${argv.slice(0, 2).join(' ')}\n` : ''}${helpText()}\n`);
    return 2;
  }
  let manager: TenantManager | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: withNegativeValues(argv.slice(key.split(' ').length)),
      options: { ...common, ...command.options },
      allowPositionals: key === 'export',
      strict: true,
    });
    if (values.help) {
      out.write(`${command.usage}\n`);
      return 0;
    }
    const missing = command.required.filter((r) => values[r] === undefined || values[r] === '');
    if (missing.length) throw new AppError('bad_request', `missing ${missing.map((m) => `--${m}`).join(', ')}\nusage: ${command.usage}`);
    manager = new TenantManager(resolveDataDir(values['data-dir'] as string | undefined));
    out.write(`${await command.run(manager, values as Values, positionals, out)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      err.write(`error: ${inOptionWords(e, command.fields)}\n`);
      return e.code === 'bad_request' || e.code === 'validation_failed' ? 2 : 1;
    }
    const code = (e as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`error: ${(e as Error).message}\nusage: ${command.usage}\n`);
      return 2;
    }
    err.write(`error: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  } finally {
    manager?.closeAll();
  }
}
