import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { main } from '../main/cli/main.js';

// What the CLI's tests share: the CLI run in-process with its output captured, or run
// as a user runs it (bin/milepost.js in a child process), and reading what it wrote.

export const run = promisify(execFile);
export const repo = path.resolve(import.meta.dirname, '..');

/** Run the CLI in-process, capturing its output. */
export async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s) });
  return { code, stdout, stderr };
}

export const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
export const readCsv = (file: string) => parse(fs.readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
