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

/**
 * A connection of the pool held for a while (a transaction, a session lock), and its release. A
 * checked-out client has no listener for its connection's failure (the pool's is off meanwhile),
 * and an 'error' event without one would end the process: this one notes it, and a broken
 * connection is closed at release rather than reused.
 */
export async function checkOut(
	pool: pg.Pool
): Promise<{ client: pg.PoolClient; release(failed?: boolean): void }> {
	const client = await pool.connect();
	let broken = false;
	const onError = () => {
		broken = true;
	};
	client.on('error', onError);
	return {
		client,
		release(failed = false) {
			client.off('error', onError);
			client.release(broken || failed);
		}
	};
}

/** Runs `fn` in one transaction, rolled back if it throws. */
export async function inTransaction<T>(
	pool: pg.Pool,
	fn: (client: pg.PoolClient) => Promise<T>
): Promise<T> {
	const { client, release } = await checkOut(pool);
	let failed = false;
	try {
		await client.query('BEGIN');
		const result = await fn(client);
		await client.query('COMMIT');
		return result;
	} catch (err) {
		await client.query('ROLLBACK').catch(() => (failed = true));
		throw err;
	} finally {
		release(failed);
	}
}
