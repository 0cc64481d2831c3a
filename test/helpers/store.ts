// The store the tests of this run use: SQLite in each data dir, or, in the `postgres` project
// (vite.config.ts), a PostgreSQL database per data dir on the server its global setup started.
// Tests reach it only through ServerStore, so the same suite runs on both.
import { createHash } from 'node:crypto';
import { silentLogger } from '../../server/log.ts';
import { PgStore } from '../../server/pg/store.ts';
import { SqliteStore, type ServerStore } from '../../server/store.ts';
import { createDatabase } from './postgres.ts';

export const ON_POSTGRES = process.env.SHINKO_TEST_STORE === 'postgres';

const created = new Map<string, Promise<string>>();

/** The database of a data dir (created at first use), or undefined on SQLite. */
export function databaseUrlOf(dataDir: string): Promise<string | undefined> {
	if (!ON_POSTGRES) return Promise.resolve(undefined);
	let url = created.get(dataDir);
	if (!url) {
		const name = `d${createHash('sha256').update(dataDir).digest('hex').slice(0, 24)}`;
		url = (async () => {
			// Imported here: the browser tests (Playwright) use these helpers too, outside Vitest.
			const { inject } = await import('vitest');
			return createDatabase(inject('postgresServer'), name);
		})();
		created.set(dataDir, url);
	}
	return url;
}

/** Another connection to the store of a data dir (what the CLI or another process opens). */
export async function openStore(dataDir: string): Promise<ServerStore> {
	const url = await databaseUrlOf(dataDir);
	return url ? PgStore.open(url, silentLogger) : new SqliteStore(dataDir);
}
