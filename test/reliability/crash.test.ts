// Crash safety (issue #8, 1): clients typing while the server is killed -9 at random moments.
import { describe, expect, it } from 'vitest';
import { runCrashRounds } from './crash-rounds.ts';

describe('crash safety', () => {
	it('loses nothing acknowledged across 20 kill -9 rounds, and everyone converges', async () => {
		const reports = await runCrashRounds({ rounds: 20, clients: 8, rate: 20, windowMs: 1000 });
		expect(reports).toHaveLength(20);
		const edits = reports.reduce((n, r) => n + r.edits, 0);
		const acknowledged = reports.reduce((n, r) => n + r.acknowledged, 0);
		// The rounds must have tested something: most edits before a kill are acknowledged.
		expect(edits).toBeGreaterThan(20 * 8 * 2);
		expect(acknowledged).toBeGreaterThan(edits / 3);
		expect(reports.filter((r) => r.acknowledged > 0).length).toBeGreaterThan(15);
	}, 120_000);
});
