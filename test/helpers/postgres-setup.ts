// Vitest global setup of the `postgres` project: one PostgreSQL server for the run, each data dir
// a database of its own on it (test/helpers/store.ts).
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** postgres://… of the run's server, without a database name. */
		postgresServer: string;
	}
}

export default async function setup(project: TestProject): Promise<() => void> {
	const postgres = await startPostgres();
	project.provide('postgresServer', postgres.url.replace(/\/[^/]*$/, ''));
	return () => postgres.remove();
}
