// The real `shinko` CLI as a child process, as an operator runs it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { INDEX_DOC_ID, listTables } from '../../src/lib/doc/index-doc.ts';
import { loadDoc, SqliteStore } from '../../server/store.ts';
import { ROOT } from './server.ts';

const run = promisify(execFile);

export const REFERENCE = join(ROOT, 'server/seed/r2-progress-table.txt');

/** Runs bin/shinko.js on `dataDir`; `null` runs it without DATA_DIR at all. */
export async function shinko(
	args: string[],
	dataDir: string | null,
	cwd = ROOT
): Promise<{ code: number; stdout: string; stderr: string }> {
	const env = { ...process.env };
	delete env.DATA_DIR;
	if (dataDir !== null) env.DATA_DIR = dataDir;
	try {
		const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin/shinko.js'), ...args], {
			cwd,
			env,
			maxBuffer: 64 * 1024 * 1024
		});
		return { code: 0, stdout, stderr };
	} catch (err) {
		const e = err as { code: number; stdout: string; stderr: string };
		return { code: e.code, stdout: e.stdout, stderr: e.stderr };
	}
}

/** How many tables the store's index lists. */
export async function tableCount(dataDir: string): Promise<number> {
	const store = new SqliteStore(dataDir);
	try {
		return listTables(await loadDoc(store, INDEX_DOC_ID)).length;
	} finally {
		store.closeNow();
	}
}
