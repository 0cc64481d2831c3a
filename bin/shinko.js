#!/usr/bin/env node
// The `shinko` command (npx shinko …), run from the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../server/cli.ts');
process.exitCode = await run(process.argv.slice(2));
