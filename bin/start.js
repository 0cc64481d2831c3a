#!/usr/bin/env node
// `npm start`: builds the app and the server bundle when the sources are newer than the last
// build, then runs the bundle (dist/server.js, plain JavaScript; bin/serve.js runs the sources).
import { spawnSync } from 'node:child_process';
import {
	closeSync,
	existsSync,
	openSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'build', '.built-at');
const inputs = [
	'src',
	'server',
	'static',
	'scripts/build-server.js',
	'scripts/preload-table-route.js',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];

function newest(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let latest = stat.mtimeMs;
	for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
	return latest;
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const bundle = join(root, 'dist', 'server.js');
if (!existsSync(bundle) || Math.max(...inputs.map((p) => newest(join(root, p)))) > builtAt) {
	// The build's own output (some 150 lines) goes to build.log, so that what matters of a start
	// (where the app is, the admin password) is not lost in it; `--verbose` shows it instead.
	const verbose = process.argv.includes('--verbose');
	const log = join(root, 'build.log');
	process.stdout.write(
		verbose
			? 'アプリをビルドしています (npm run build)…\n'
			: 'アプリをビルドしています (npm run build、1〜2 分。出力は build.log に)…\n'
	);
	const fd = verbose ? undefined : openSync(log, 'w');
	const result = spawnSync('npm', ['run', 'build'], {
		cwd: root,
		stdio: fd === undefined ? 'inherit' : ['ignore', fd, fd]
	});
	if (fd !== undefined) closeSync(fd);
	if (result.status !== 0) {
		if (!verbose) {
			const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
			process.stderr.write(`${tail}\n\nビルドに失敗しました。出力の全体: ${log}\n`);
		}
		process.exit(result.status ?? 1);
	}
	writeFileSync(stamp, new Date().toISOString() + '\n');
}

// `node bin/start.js --build-only` (the benchmarks): build when stale, do not serve.
if (process.argv.includes('--build-only')) process.exit(0);

process.setSourceMapsEnabled(true);
await import(pathToFileURL(bundle).href);
