// Coalesced presence: changes are gathered for a tick and sent in one message; renewals of
// unchanged states are not forwarded one by one but together, every presenceRenewMs.
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE } from '../../src/lib/sync/protocol.ts';
import { presenceMessage } from '../helpers/hostile.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import {
	connectClient,
	login,
	startTestServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const cleanups = useCleanups();
const RENEW_MS = 400;

/** Counts the presence messages a provider receives. */
function countPresence(provider: WebsocketProvider): { count: number } {
	const counter = { count: 0 };
	const handler = provider.messageHandlers[MESSAGE.awareness]!;
	provider.messageHandlers[MESSAGE.awareness] = (...args) => {
		counter.count++;
		handler(...args);
	};
	return counter;
}

/** `n` stock clients on one doc of a fresh server, synced; `more()` connects one more. */
async function clients(
	n: number
): Promise<WebsocketProvider[] & { more: () => Promise<WebsocketProvider> }> {
	const data = tempDataDir();
	const server = await startTestServer(data.dir, 0, { presenceRenewMs: RENEW_MS });
	cleanups.push(() => server.close(), data.remove);
	const cookie = await login(server.url);
	const more = async () => {
		const c = connectClient(server.url, 'presence', cookie);
		cleanups.push(() => c.provider.destroy());
		await synced(c.provider);
		return c.provider;
	};
	const list = await Promise.all(Array.from({ length: n }, more));
	return Object.assign(list, { more });
}

describe('presence', () => {
	it('sends the changes of one tick in one message, and not back to their only sender', async () => {
		const [a, b, c] = await clients(3);
		const toA = countPresence(a!);
		const toC = countPresence(c!);
		a!.awareness.setLocalStateField('label', 'A');
		b!.awareness.setLocalStateField('label', 'B');
		const names = () =>
			[a!, b!].map((p) => c!.awareness.getStates().get(p.awareness.clientID)?.label);
		await waitFor(() => names().join() === 'A,B', 'the third client to see both states');
		expect(toC.count).toBe(1);

		await sleep(RENEW_MS * 2); // let the renewal of these states go by
		const before = toA.count;
		a!.awareness.setLocalStateField('cell', 'i1:note');
		await waitFor(
			() => c!.awareness.getStates().get(a!.awareness.clientID)?.cell === 'i1:note',
			'the cell to arrive'
		);
		await sleep(100);
		expect(toA.count).toBe(before);
	});

	it('sends renewals of unchanged states together, later, and keeps their clocks current', async () => {
		const [a, b] = await clients(2);
		a!.awareness.setLocalStateField('user', { name: 'A' });
		const id = a!.awareness.clientID;
		await waitFor(() => b!.awareness.getStates().has(id), 'the state to arrive');
		await sleep(RENEW_MS * 2);
		const toB = countPresence(b!);
		// Five renewals, as y-protocols makes every 15 s: same state, next clock.
		for (let i = 0; i < 5; i++) a!.awareness.setLocalState(a!.awareness.getLocalState());
		const clock = a!.awareness.meta.get(id)!.clock;
		await waitFor(() => b!.awareness.meta.get(id)?.clock === clock, 'the renewed clock', 5000);
		expect(toB.count).toBe(1);
	});
});

describe('presence, removed and set again', () => {
	it('keeps a state another client removed: only its owner can, and a peer that timed it out gets it back', async () => {
		const [a, b, c] = await clients(3);
		a!.awareness.setLocalStateField('label', 'A');
		const id = a!.awareness.clientID;
		await waitFor(() => c!.awareness.getStates().has(id), 'the state');
		let removedAtC = false;
		c!.awareness.on('change', (ch: { removed: number[] }) => {
			if (ch.removed.includes(id)) removedAtC = true;
		});
		// What a client does when it times a peer out: it removes the state and tells the server.
		awarenessProtocol.removeAwarenessStates(b!.awareness, [id], 'timeout');
		await sleep(RENEW_MS);
		expect(removedAtC).toBe(false);
		// The owner's next renewal (every 15 s in y-protocols) brings it back to the peer.
		a!.awareness.setLocalState(a!.awareness.getLocalState());
		await waitFor(() => b!.awareness.getStates().get(id)?.label === 'A', 'the state back', 3000);
		expect(c!.awareness.getStates().get(id)?.label).toBe('A');
	});

	it('forgets a removed id after a while, its clock too: it does not keep every id ever seen', async () => {
		const list = await clients(1);
		const [a] = list;
		const send = (id: number, clock: number, state: string) =>
			a!.ws!.send(presenceMessage([{ id, clock, state }]));
		const label = (p: WebsocketProvider, id: number) => p.awareness.getStates().get(id)?.label;
		const watcher = await list.more();
		send(777, 5, '{"label":"first"}');
		await waitFor(() => label(watcher, 777) === 'first', 'the state');
		send(777, 6, 'null');
		await waitFor(() => !watcher.awareness.getStates().has(777), 'its removal');
		// Set again at once with an older clock: a late message of the removed state, ignored.
		send(777, 1, '{"label":"late"}');
		send(778, 1, '{"label":"after"}');
		await waitFor(() => label(watcher, 778) === 'after', 'the message after it');
		expect((await list.more()).awareness.getStates().has(777)).toBe(false);
		// Six renewal periods later the id is forgotten: claimed afresh, from any clock.
		await sleep(RENEW_MS * 8);
		send(777, 1, '{"label":"afresh"}');
		send(778, 2, '{"label":"after again"}');
		await waitFor(() => label(watcher, 778) === 'after again', 'the message after it');
		const joined = await list.more();
		await waitFor(() => label(joined, 777) === 'afresh', 'the id claimed afresh');
	});

	it('drops a state set again after its removal when its connection closes', async () => {
		const [a, c] = await clients(2);
		a!.awareness.setLocalStateField('label', 'A');
		const id = a!.awareness.clientID;
		await waitFor(() => c!.awareness.getStates().has(id), 'the state');
		a!.awareness.setLocalState(null);
		await waitFor(() => !c!.awareness.getStates().has(id), 'the removal');
		a!.awareness.setLocalState({ label: 'A again' });
		await waitFor(
			() => c!.awareness.getStates().get(id)?.label === 'A again',
			'the state set again'
		);
		// The connection drops without a goodbye (no removal from the client).
		a!.shouldConnect = false;
		(a!.ws as unknown as { terminate(): void }).terminate();
		await waitFor(() => !c!.awareness.getStates().has(id), 'the state dropped', 3000);
		expect(c!.awareness.getStates().has(id)).toBe(false);
	});
});
