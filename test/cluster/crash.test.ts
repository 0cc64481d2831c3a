// Crash rounds across processes: three server processes on one PostgreSQL and Redis, clients
// spread over them, one process killed -9 at a random moment each round and started again.
// Nothing acknowledged is lost; every client, the processes and the database converge. (`npm run
// soak` runs 50 rounds.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrashRounds } from '../reliability/crash-rounds.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

let postgres: TestPostgres;
let redis: TestRedis;
beforeAll(async () => {
	[postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
}, 60_000);
afterAll(async () => {
	postgres?.remove();
	await redis?.remove();
});

describe('kill -9 across processes', () => {
	it('loses nothing acknowledged over 6 rounds, and everyone converges through the others', async () => {
		const reports = await runCrashRounds({
			rounds: 6,
			clients: 6,
			rate: 20,
			windowMs: 1000,
			cluster: { processes: 3, databaseUrl: postgres.url, redisUrl: redis.url }
		});
		expect(reports).toHaveLength(6);
		const acknowledged = reports.reduce((n, r) => n + r.acknowledged, 0);
		const edits = reports.reduce((n, r) => n + r.edits, 0);
		expect(acknowledged).toBeGreaterThan(edits / 3);
	}, 120_000);
});
