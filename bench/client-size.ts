// Workload 5 (part): every JavaScript chunk of the built app, gzipped, for reference; what the
// table page itself fetches is measured in Chromium (cold-load.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const IMMUTABLE = fileURLToPath(new URL('../build/_app/immutable', import.meta.url));

function jsFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []
	);
}

/** Total gzipped KB of every JS file of the build, or null when the app is not built. */
export function shippedJsKb(): number | null {
	if (!existsSync(IMMUTABLE)) return null;
	let bytes = 0;
	for (const f of jsFiles(IMMUTABLE)) bytes += gzipSync(readFileSync(f), { level: 9 }).length;
	return bytes / 1024;
}
