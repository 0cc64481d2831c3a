// Issue 22: the server relays an update at once and acknowledges it only after its commit. Killed
// (-9) between the relay and the commit, again and again, it loses nothing any client was told is
// saved, and once it is back every replica and the server converge: the sender sends again what
// was not acknowledged, and when the sender is gone for good, a replica that got the relay gives
// the server what it lacks.
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { loadDoc } from '../../server/store.ts';
import { openStore } from '../helpers/store.ts';
import { countingSocket, SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import {
	authedSocket,
	login,
	spawnServer,
	tempDataDir,
	waitFor,
	wsUrl,
	exited
} from '../helpers/server.ts';

const cleanups = useCleanups();
const DOC = 'relay';
const ROUNDS = 12;

/** What the store says, read with the server stopped. */
async function storedWords(dataDir: string): Promise<string[]> {
	const store = await openStore(dataDir);
	try {
		const doc = await loadDoc(store, DOC);
		const words = Array.from(doc.getMap('w').keys()).sort();
		doc.destroy();
		return words;
	} finally {
		await store.close();
	}
}

describe('relay before commit', () => {
	it('loses nothing acknowledged when killed between relay and commit, and converges', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		let server = await spawnServer(data.dir);
		cleanups.push(() => server.child.kill('SIGKILL'));
		const port = server.port;
		const cookie = await login(server.url);
		const Socket = countingSocket(authedSocket(server.url, cookie));
		const replica = () => {
			const doc = new Y.Doc();
			const provider = new WebsocketProvider(wsUrl(server.url), DOC, doc, {
				WebSocketPolyfill: Socket,
				disableBc: true,
				params: { acks: '1' },
				maxBackoffTime: 200
			});
			const acks = new SavedAcks(provider);
			cleanups.push(() => provider.destroy());
			return { doc, provider, acks };
		};
		const receiver = replica();
		let sender = replica();
		/** Words some client was told are saved, and every word written. */
		const saved = new Set<string>();
		const written = new Set<string>();
		let killedUnacknowledged = 0;
		/** Rounds where the word was relayed and not yet stored when the server died. */
		let killedBeforeCommit = 0;
		let healedByReceiver = 0;

		for (let round = 0; round < ROUNDS; round++) {
			await waitFor(
				() => [sender, receiver].every((r) => r.provider.synced && r.acks.allSaved),
				`round ${round}: both replicas synced and saved`,
				15_000
			);
			for (const w of sender.doc.getMap('w').keys()) saved.add(w);
			// The sender writes; the moment the receiver has it (relayed), the sender's ack has not
			// come (its commit is under way): the server is killed then.
			const word = `r${round}`;
			let relayedUnacked = false;
			const onRelay = () => {
				if (!receiver.doc.getMap('w').has(word) || relayedUnacked) return;
				relayedUnacked = !sender.acks.allSaved;
				server.child.kill('SIGKILL');
			};
			receiver.doc.on('update', onRelay);
			sender.doc.getMap('w').set(word, round);
			written.add(word);
			await exited(server.child);
			receiver.doc.off('update', onRelay);
			if (relayedUnacked) killedUnacknowledged++;

			// Nothing a client was told is saved is missing from the store.
			const stored = await storedWords(data.dir);
			expect(Array.from(saved).filter((w) => !stored.includes(w))).toEqual([]);
			// Every other time the word died with the server, its sender is gone for good (a laptop
			// closed, its copy discarded): only the receiver's replica can give the server the word.
			if (!stored.includes(word) && ++killedBeforeCommit % 2 === 1) {
				healedByReceiver++;
				sender.provider.destroy();
				sender.doc.destroy();
				sender = replica();
			}
			server = await spawnServer(data.dir, port);
		}

		await waitFor(
			() => [sender, receiver].every((r) => r.provider.synced && r.acks.allSaved),
			'both replicas synced and saved at the end',
			15_000
		);
		await waitFor(
			() => sender.doc.getMap('w').size === written.size,
			'the sender to have every word',
			15_000
		);
		expect(Array.from(receiver.doc.getMap('w').keys()).sort()).toEqual(Array.from(written).sort());
		server.child.kill('SIGTERM');
		await exited(server.child);
		expect(await storedWords(data.dir)).toEqual(Array.from(written).sort());
		// The kills fell between relay and acknowledgement, and some before the commit itself.
		// Words that died with the server came back from their sender, and from the receiver alone.
		expect(killedUnacknowledged).toBeGreaterThanOrEqual(ROUNDS / 2);
		expect(killedBeforeCommit).toBeGreaterThanOrEqual(2);
		expect(healedByReceiver).toBeGreaterThanOrEqual(1);
	}, 120_000);
});
