// A PostgreSQL (and, if asked, a Redis) of a test file's own: started before its tests, removed
// after them. Tests that stop or kill one need it to themselves.
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from './postgres.ts';
import { startRedis, type TestRedis } from './redis.ts';

export interface Services {
	readonly postgres: TestPostgres;
	readonly redis: TestRedis;
}

export function useServices(options: { redis?: boolean } = {}): Services {
	let postgres: TestPostgres | undefined;
	let redis: TestRedis | undefined;
	beforeAll(async () => {
		[postgres, redis] = await Promise.all([
			startPostgres(),
			options.redis ? startRedis() : undefined
		]);
	}, 60_000);
	afterAll(async () => {
		postgres?.remove();
		await redis?.remove();
	});
	return {
		get postgres() {
			if (!postgres) throw new Error('PostgreSQL is not started yet (use it inside a test)');
			return postgres;
		},
		get redis() {
			if (!redis) throw new Error('no Redis: useServices({ redis: true })');
			return redis;
		}
	};
}
