// `npm run build` (after vite build): adds the table page's scripts and styles to the app shell
// (build/index.html) as <link rel="modulepreload"> and style preloads.
//
// The shell is one static file for every route (adapter-static's SPA fallback), so SvelteKit
// preloads only the root layout's chunks in it; a route's own chunks are requested once those have
// run, a second round of requests before anything can be drawn. The table is what the app opens
// to, so the shell asks for its chunks at once, beside the root's. (SvelteKit has no option for
// this with a fallback page, hence this step, written by hand: it reads SvelteKit's route
// dictionary and Vite's manifest and changes nothing else.)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUTE = '/t/[id]';
const shellPath = `${root}/build/index.html`;
// SvelteKit's generated client code: as Vite's manifest names it, and on disk.
const GENERATED = '.svelte-kit/generated/client-optimized';
const generated = `${root}/${GENERATED}`;
const manifestPath = `${root}/.svelte-kit/output/client/.vite/manifest.json`;

// A speed-up only: if SvelteKit's or Vite's files ever change shape, the shell stays as built
// (the table route loads as it did before this step) and the build goes on.
function fail(message) {
	process.stderr.write(`preload-table-route: ${message}; build/index.html left as it is\n`);
	process.exit(0);
}

function read(path) {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return fail(`cannot read ${path}`);
	}
}

// "/t/[id]": [6,[2]] — the page's node, then its layouts' (the root layout, 0, is preloaded).
const app = read(`${generated}/app.js`);
const at = app.indexOf(`"${ROUTE}":`);
if (at < 0) fail(`route ${ROUTE} not found in ${generated}/app.js`);
const start = app.indexOf('[', at + ROUTE.length + 3);
let end = start;
for (let depth = 0; end < app.length; end++) {
	if (app[end] === '[') depth++;
	else if (app[end] === ']' && --depth === 0) break;
}
const nodes = [...app.slice(start, end).matchAll(/\d+/g)].map((m) => Number(m[0]));
if (nodes.length === 0) fail(`no nodes for ${ROUTE} in ${generated}/app.js`);

const manifest = JSON.parse(read(manifestPath));
const scripts = new Set();
const styles = new Set();
function collect(key) {
	const chunk = manifest[key];
	if (!chunk) fail(`${key} not in ${manifestPath}`);
	if (scripts.has(chunk.file)) return;
	scripts.add(chunk.file);
	for (const css of chunk.css ?? []) styles.add(css);
	for (const imported of chunk.imports ?? []) collect(imported);
}
for (const node of nodes) collect(`${GENERATED}/nodes/${node}.js`);

let shell = read(shellPath);
const present = (file) => shell.includes(`"/${file}"`);
const links = [
	...[...scripts].filter((f) => !present(f)).map((f) => `<link href="/${f}" rel="modulepreload">`),
	// Fetched, not applied: SvelteKit applies them when the route is shown.
	...[...styles]
		.filter((f) => !present(f))
		.map((f) => `<link href="/${f}" rel="preload" as="style">`)
];
const head = shell.indexOf('</head>');
if (head < 0) fail(`no </head> in ${shellPath}`);
shell = shell.slice(0, head) + `\t${links.join('\n\t\t')}\n\t` + shell.slice(head);
writeFileSync(shellPath, shell);
// The server sends adapter-static's precompressed copies first: they must be of this shell.
if (existsSync(`${shellPath}.br`)) {
	writeFileSync(
		`${shellPath}.br`,
		brotliCompressSync(shell, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
	);
}
if (existsSync(`${shellPath}.gz`)) writeFileSync(`${shellPath}.gz`, gzipSync(shell, { level: 9 }));
process.stdout.write(
	`preload-table-route: ${links.length} links for ${ROUTE} in build/index.html\n`
);
