#!/usr/bin/env node
// The `shinko` command (npx shinko …), run from the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

// `shinko export … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
	if (err.code === 'EPIPE') process.exit(0);
	throw err;
});

register();
const { run } = await import('../server/cli.ts');
process.exitCode = await run(process.argv.slice(2));
