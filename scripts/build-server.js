// `npm run build` (after vite build): bundles the server (server/run.ts and the shared src/lib
// code it imports) into dist/server.js, so that `npm start` runs plain JavaScript
// (`node dist/server.js` starts the server). Running the
// TypeScript sources through tsx costs a loader thread and about three times the idle CPU; tests
// and `npx shinko` still use the sources. npm packages stay external (better-sqlite3 is native).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
	entryPoints: [`${root}/server/run.ts`],
	outfile: `${root}/dist/server.js`,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning',
	// The server finds its files (seed/, ../build) relative to its own module: keep resolving them
	// from server/ wherever the bundle sits.
	define: { 'import.meta.url': '__shinkoServerUrl' },
	banner: { js: "const __shinkoServerUrl = new URL('../server/run.ts', import.meta.url).href;" }
});
