// The stores a contract suite runs on: SQLite in a temp dir, and a database of its own on the
// test file's PostgreSQL. `open` makes a fresh data set and resolves with a function that opens
// its store, once per process that would (a server, another server, the CLI).
import { silentLogger } from '../../server/log.ts';
import { PgStore } from '../../server/pg/store.ts';
import { SqliteStore, type ServerStore } from '../../server/store.ts';
import { tempDataDir } from './server.ts';
import type { Services } from './services.ts';

export interface StoreBackend {
	name: string;
	open(cleanups: (() => unknown)[]): Promise<() => Promise<ServerStore>>;
}

export function storeBackends(services: Services): StoreBackend[] {
	return [
		{
			name: 'SQLite',
			async open(cleanups) {
				const data = tempDataDir();
				cleanups.push(data.remove);
				return async () => {
					const store = new SqliteStore(data.dir);
					cleanups.push(() => store.close());
					return store;
				};
			}
		},
		{
			name: 'PostgreSQL',
			async open(cleanups) {
				const url = await services.postgres.createDatabase();
				return async () => {
					const store = await PgStore.open(url, silentLogger);
					cleanups.push(() => store.close());
					return store;
				};
			}
		}
	];
}
