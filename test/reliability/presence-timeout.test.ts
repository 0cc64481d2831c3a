// Presence renewals are forwarded in batches (server/sync.ts, PRESENCE_RENEW_MS): over 40 s of
// real time, with y-protocols' own 15 s renewal and 30 s timeout, no state times out; a client
// that leaves disappears at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { useCleanups } from '../helpers/cleanup.ts';
import {
	connectClient,
	login,
	startTestServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';

const cleanups = useCleanups();

it('keeps idle presence alive past the 30 s timeout, and drops a closed client at once', async () => {
	const data = tempDataDir();
	const server = await startTestServer(data.dir);
	cleanups.push(() => server.close(), data.remove);
	const cookie = await login(server.url);
	const [a, b] = [0, 1].map(() => connectClient(server.url, 'idle-presence', cookie).provider);
	cleanups.push(
		() => a!.destroy(),
		() => b!.destroy()
	);
	await Promise.all([synced(a!), synced(b!)]);
	a!.awareness.setLocalStateField('label', 'A');
	const id = a!.awareness.clientID;
	await waitFor(() => b!.awareness.getStates().get(id)?.label === 'A', 'the state');
	const removed: number[] = [];
	b!.awareness.on('change', (c: { removed: number[] }) => removed.push(...c.removed));

	await sleep(40_000);
	expect(removed).toEqual([]);
	expect(b!.awareness.getStates().get(id)?.label).toBe('A');

	a!.destroy();
	await waitFor(() => removed.includes(id), 'the closed client to disappear', 2000);
}, 60_000);
