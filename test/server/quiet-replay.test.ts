// The device copy's replay, quieted or not (src/lib/sync/quiet-replay.ts), reaches the server with
// the stock y-websocket client: sent at once on an open socket, by the sync step otherwise.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { providerSends, quietReplays } from '../../src/lib/sync/quiet-replay.ts';
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
const REPLAY = { name: 'device copy' };

function deviceCopy(text: string): Uint8Array {
	const offline = new Y.Doc();
	offline.getText('note').insert(0, text);
	return Y.encodeStateAsUpdate(offline);
}

async function setup() {
	const data = tempDataDir();
	const server = await startTestServer(data.dir);
	cleanups.push(data.remove, () => server.close());
	const cookie = await login(server.url);
	const watcher = connectClient(server.url, 'replayed', cookie);
	cleanups.push(() => watcher.provider.destroy());
	await synced(watcher.provider);
	return { server, cookie, watcher };
}

/** A client whose replays are quieted as DocSession quiets them; returns how many were encoded. */
function quieted(client: ReturnType<typeof connectClient>): { encoded: () => number } {
	const { doc, provider } = client;
	let encoded = 0;
	const count = (_u: Uint8Array, origin: unknown) => {
		if (origin === REPLAY) encoded++;
	};
	doc.on('update', count);
	quietReplays(
		doc,
		REPLAY,
		() => !providerSends(provider),
		() => [provider._updateHandler, count]
	);
	return { encoded: () => encoded };
}

describe('a replay of the device copy', () => {
	it('is sent at once when the socket is open', async () => {
		const { server, cookie, watcher } = await setup();
		const client = connectClient(server.url, 'replayed', cookie);
		cleanups.push(() => client.provider.destroy());
		const { encoded } = quieted(client);
		await synced(client.provider);
		Y.applyUpdate(client.doc, deviceCopy('接続中に読み込んだ'), REPLAY);
		expect(encoded()).toBe(1);
		await waitFor(
			() => watcher.doc.getText('note').toString() === '接続中に読み込んだ',
			'the replay at the other client'
		);
	});

	it('is not encoded while the socket is closed, and reaches the server by the sync step', async () => {
		const { server, cookie, watcher } = await setup();
		const client = connectClient(server.url, 'replayed', cookie);
		client.provider.disconnect();
		cleanups.push(() => client.provider.destroy());
		const { encoded } = quieted(client);
		Y.applyUpdate(client.doc, deviceCopy('オフラインで書いた'), REPLAY);
		expect(encoded()).toBe(0);
		client.provider.connect();
		await waitFor(
			() => watcher.doc.getText('note').toString() === 'オフラインで書いた',
			'the replay at the other client'
		);
	});
});
