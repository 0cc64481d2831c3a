// Connections to PostgreSQL: one pool per process, and transactions on it.
import pg from 'pg';
import type { Logger } from '../log.ts';

/** A pool of connections to `url`, its idle connections' errors logged rather than thrown. */
export function createPool(url: string, log: Logger): pg.Pool {
	const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
	// A connection that breaks while idle (the server restarted) is dropped from the pool.
	pool.on('error', (err) => log.warn('a PostgreSQL connection failed', { error: String(err) }));
	return pool;
}

/** Runs `fn` in one transaction, rolled back if it throws. */
export async function inTransaction<T>(
	pool: pg.Pool,
	fn: (client: pg.PoolClient) => Promise<T>
): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		const result = await fn(client);
		await client.query('COMMIT');
		return result;
	} catch (err) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw err;
	} finally {
		client.release();
	}
}
