// Crash rounds across processes: three server processes on one PostgreSQL and Redis, clients
// spread over them, one process killed -9 at a random moment each round and started again.
// Nothing acknowledged is lost; every client, the processes and the database converge. (`npm run
// soak` runs 50 rounds.)
import { describe, expect, it } from 'vitest';
import { useServices } from '../helpers/services.ts';
import { runCrashRounds } from '../reliability/crash-rounds.ts';

const services = useServices({ redis: true });

describe('kill -9 across processes', () => {
	it('loses nothing acknowledged over 6 rounds, and everyone converges through the others', async () => {
		const reports = await runCrashRounds({
			rounds: 6,
			clients: 6,
			rate: 20,
			windowMs: 1000,
			cluster: { processes: 3, databaseUrl: services.postgres.url, redisUrl: services.redis.url }
		});
		expect(reports).toHaveLength(6);
		const acknowledged = reports.reduce((n, r) => n + r.acknowledged, 0);
		const edits = reports.reduce((n, r) => n + r.edits, 0);
		expect(acknowledged).toBeGreaterThan(edits / 3);
	}, 120_000);
});
