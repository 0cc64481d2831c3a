// Undo what a test set up (servers, clients, temp dirs), last first, after each test.
import { afterEach } from 'vitest';

export function useCleanups(): (() => unknown)[] {
	const cleanups: (() => unknown)[] = [];
	afterEach(async () => {
		while (cleanups.length) await cleanups.pop()!();
	});
	return cleanups;
}
