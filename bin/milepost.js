#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx milepost` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
