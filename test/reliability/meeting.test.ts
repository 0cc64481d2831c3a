// Issue 18, 1: a review meeting of 50 people on one table, each with presence as the app sets it,
// through the stock y-websocket client (which sends on every presence change it hears, other
// people's included). Nobody is shut out, everyone sees everyone, every edit is saved.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hashPassword } from '../../server/passwords.ts';
import { SESSION_COOKIE } from '../../server/auth.ts';
import { SqliteStore } from '../../server/store.ts';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import {
	ADMIN_PASSWORD,
	connectClient,
	listTable,
	login,
	spawnServer,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';

const PEOPLE = 50;
// Each stock provider listens for the process's exit.
process.setMaxListeners(PEOPLE + 20);
const DOC = 'meeting';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const c of cleanups.splice(0).reverse()) await c();
});

/** An admin, and PEOPLE editors with a session each, written into the store before the start. */
async function meetingUsers(dir: string): Promise<string[]> {
	const store = new SqliteStore(dir);
	try {
		const users = store.users(3600_000);
		await users.add('admin', 'admin', await hashPassword(ADMIN_PASSWORD), '管理者');
		const hash = await hashPassword('meeting-password');
		const cookies: string[] = [];
		for (let i = 0; i < PEOPLE; i++) {
			await users.add(`user${i}`, 'editor', hash, `参加者${i + 1}`);
			cookies.push(`${SESSION_COOKIE}=${(await users.createSession(`user${i}`)).token}`);
		}
		return cookies;
	} finally {
		store.closeNow();
	}
}

describe('a meeting', () => {
	it(`of ${PEOPLE} people with presence: nobody shut out, everyone seen, every edit saved`, async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const cookies = await meetingUsers(data.dir);
		const server = await spawnServer(data.dir);
		cleanups.push(() => server.child.kill('SIGKILL'));
		await listTable(server.url, await login(server.url), DOC);

		const closes: number[] = [];
		const people = cookies.map((cookie, i) => {
			const { doc, provider } = connectClient(server.url, DOC, cookie, { acks: true });
			cleanups.push(() => provider.destroy());
			provider.on('connection-close', (e: CloseEvent | null) => closes.push(e?.code ?? 0));
			// As the app's Presence sets it (src/lib/state/presence.svelte.ts).
			provider.awareness.setLocalState({
				user: { name: `参加者${i + 1}`, colour: '#2e86ab', role: 'editor' },
				cursor: null
			});
			return { doc, provider, acks: new SavedAcks(provider) };
		});
		await waitFor(() => people.every((p) => p.provider.synced), 'everyone synced', 30_000);

		// Ten seconds of the meeting: each person moves between cells and types about once a second.
		for (let second = 0; second < 10; second++) {
			people.forEach((p, i) => {
				p.provider.awareness.setLocalStateField('cursor', {
					itemId: `item-${(i + second) % 68}`,
					field: 'note'
				});
				p.doc.getMap('m').set(`${i}:${second}`, second);
			});
			await sleep(1000);
		}
		const final = (i: number) => `item-${(i + 9) % 68}`;

		// Nobody was closed by the server for anything (a 44xx would have shut the person out).
		expect(closes.filter((c) => c >= 4000)).toEqual([]);
		await waitFor(() => people.every((p) => p.acks.allSaved), 'every edit saved', 30_000);
		await waitFor(
			() => people.every((p) => p.doc.getMap('m').size === PEOPLE * 10),
			'everyone has every edit',
			30_000
		);
		// Everyone sees everyone else, where they are now, under the name the server knows.
		await waitFor(
			() =>
				people.every((p) => {
					const states = p.provider.awareness.getStates();
					if (states.size < PEOPLE) return false;
					return people.every((other, j) => {
						const state = states.get(other.provider.awareness.clientID) as
							{ user?: { name?: string }; cursor?: { itemId?: string } } | undefined;
						return state?.cursor?.itemId === final(j) && state.user?.name === `参加者${j + 1}`;
					});
				}),
			'everyone sees everyone',
			30_000
		);
		const fingerprints = new Set(people.map((p) => JSON.stringify(Y.encodeStateVector(p.doc))));
		expect(fingerprints.size).toBe(1);
	}, 120_000);
});
