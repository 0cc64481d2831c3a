// The environment the server reads: cluster mode's DATABASE_URL, checked before anything starts.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../server/config.ts';

describe('readConfig', () => {
	it('runs on SQLite in DATA_DIR unless DATABASE_URL names a PostgreSQL database', () => {
		expect(readConfig({ DATA_DIR: '/tmp/x' }).databaseUrl).toBeUndefined();
		const url = 'postgres://shinko:secret@db.example.org:5432/shinko';
		expect(readConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
		expect(readConfig({ DATABASE_URL: 'postgresql://localhost/x' }).databaseUrl).toBe(
			'postgresql://localhost/x'
		);
	});

	it('takes REDIS_URL only beside a DATABASE_URL', () => {
		const env = { DATABASE_URL: 'postgres://db/shinko', REDIS_URL: 'redis://cache:6379' };
		expect(readConfig(env).redisUrl).toBe('redis://cache:6379');
		expect(() => readConfig({ REDIS_URL: 'redis://cache:6379' })).toThrow(
			/REDIS_URL.*DATABASE_URL/
		);
		expect(() => readConfig({ ...env, REDIS_URL: 'http://cache' })).toThrow(/REDIS_URL/);
	});

	it('refuses a DATABASE_URL that is not a postgres:// URL, naming it', () => {
		expect(() => readConfig({ DATABASE_URL: 'mysql://localhost/x' })).toThrow(ConfigError);
		expect(() => readConfig({ DATABASE_URL: 'mysql://localhost/x' })).toThrow(/DATABASE_URL/);
	});
});
