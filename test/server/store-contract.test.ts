// What every DocStore promises the sync layer (server/store.ts), shown on SQLite and on a real
// PostgreSQL: the same tests, through the interface only.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { loadDoc, type Appended, type DocStore } from '../../server/store.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { useServices } from '../helpers/services.ts';
import { storeBackends, type StoreBackend } from '../helpers/store-backends.ts';

const services = useServices();

/** A store, and how to open a second one on the same data (another process, the CLI). */
async function stores(
	backend: StoreBackend,
	cleanups: (() => unknown)[]
): Promise<{ store: DocStore; another(): Promise<DocStore> }> {
	const open = await backend.open(cleanups);
	return { store: await open(), another: open };
}

/** An update setting `key` to `value` in map 'm', from a fresh client. */
function setting(key: string, value: unknown): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('m').set(key, value);
	return Y.encodeStateAsUpdate(doc);
}

function valuesOf(updates: Uint8Array[]): Record<string, unknown> {
	const doc = new Y.Doc();
	for (const u of updates) Y.applyUpdate(doc, u);
	return doc.getMap('m').toJSON();
}

describe.each(storeBackends(services))('DocStore on $name', (backend) => {
	const cleanups = useCleanups();

	it('appends, loads in order, after a seq, and says where each commit left the log', async () => {
		const { store } = await stores(backend, cleanups);
		expect(await store.load('a')).toEqual({ updates: [], seq: 0 });
		const first = (await store.commit(
			{
				updates: [
					{ docId: 'a', update: setting('x', 1) },
					{ docId: 'b', update: setting('y', 1) },
					{ docId: 'a', update: setting('w', 2) }
				]
			},
			'test'
		))!;
		const a1 = first.get('a')!;
		expect(a1.prev).toBe(0);
		expect(first.get('b')!.prev).toBe(0);
		const second = (await store.commit(
			{ updates: [{ docId: 'a', update: setting('z', 3) }] },
			'test'
		))!;
		const a2 = second.get('a')!;
		expect(a2.prev).toBe(a1.seq);
		expect(a2.seq).toBeGreaterThan(a1.seq);

		const all = await store.load('a');
		expect(all.updates).toHaveLength(3);
		expect(all.seq).toBe(a2.seq);
		expect(valuesOf(all.updates)).toEqual({ x: 1, w: 2, z: 3 });
		const after = await store.load('a', a1.seq);
		expect(after.updates).toHaveLength(1);
		expect(valuesOf(after.updates)).toEqual({ z: 3 });
		expect(await store.load('a', a2.seq)).toEqual({ updates: [], seq: a2.seq });

		expect(await store.heads(['a', 'b', 'none'])).toEqual(
			new Map([
				['a', a2.seq],
				['b', first.get('b')!.seq]
			])
		);
		expect(await store.heads([])).toEqual(new Map());
		expect(await store.docIds()).toEqual(['a', 'b']);
	});

	it('sets meta with a commit, and commits unlessMeta exactly once among racing writers', async () => {
		const { store, another } = await stores(backend, cleanups);
		const others = await Promise.all([another(), another(), another()]);
		expect(await store.getMeta('seeded')).toBeUndefined();
		const results = await Promise.all(
			[store, ...others].map((s, i) =>
				s.commit(
					{
						updates: [{ docId: `seed${i}`, update: setting('i', i) }],
						meta: { seeded: `seed${i}` },
						unlessMeta: 'seeded'
					},
					`writer${i}`
				)
			)
		);
		const won = results.flatMap((r, i) => (r === null ? [] : [i]));
		expect(won).toHaveLength(1);
		expect(await store.getMeta('seeded')).toBe(`seed${won[0]}`);
		expect(await store.docIds()).toEqual([`seed${won[0]}`]);
	});

	it('never lets a reader skip a row committed late, with writers racing on one doc', async () => {
		const { another } = await stores(backend, cleanups);
		const writers = await Promise.all([another(), another(), another()]);
		const reader = await another();
		const PER_WRITER = 40;
		const seen = new Map<string, unknown>();
		let readSeq = 0;
		let writing = true;
		const reading = (async () => {
			for (;;) {
				const stopping = !writing;
				const rows = await reader.load('race', readSeq);
				for (const [k, v] of Object.entries(valuesOf(rows.updates))) seen.set(k, v);
				expect(rows.seq).toBeGreaterThanOrEqual(readSeq);
				readSeq = rows.seq;
				if (stopping) return;
			}
		})();
		const ranges: Appended[] = [];
		await Promise.all(
			writers.map(async (w, i) => {
				for (let k = 0; k < PER_WRITER; k++) {
					const done = await w.commit(
						{ updates: [{ docId: 'race', update: setting(`w${i}.${k}`, k) }] },
						`writer${i}`
					);
					ranges.push(done!.get('race')!);
				}
			})
		);
		writing = false;
		await reading;
		expect(seen.size).toBe(writers.length * PER_WRITER);
		// Each commit's rows follow the one before them: the ranges never overlap.
		ranges.sort((x, y) => x.seq - y.seq);
		for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.prev).toBe(ranges[i - 1]!.seq);
		expect(ranges[0]!.prev).toBe(0);
	}, 60_000);

	it('replaces the rows up to a seq by a state, keeps later rows, and leaves a replaced log be', async () => {
		const { store, another } = await stores(backend, cleanups);
		const appended: Appended[] = [];
		for (let k = 0; k < 5; k++) {
			const done = await store.commit(
				{ updates: [{ docId: 'log', update: setting(`k${k}`, k) }] },
				'test'
			);
			appended.push(done!.get('log')!);
		}
		const through = appended[2]!.seq;
		const doc = await loadDoc(
			{
				load: (id: string) => store.load(id).then((s) => ({ ...s, updates: s.updates.slice(0, 3) }))
			} as DocStore,
			'log'
		);
		const state = Y.encodeStateAsUpdate(doc);
		expect(await store.replaceLog('log', state, through, 'compact')).toBe(3);
		const after = await store.load('log');
		expect(after.updates).toHaveLength(3);
		expect(after.seq).toBe(appended[4]!.seq);
		expect(valuesOf(after.updates)).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
		// A reader that had read up to `through` reads only what came after it.
		expect(valuesOf((await store.load('log', through)).updates)).toEqual({ k3: 3, k4: 4 });
		// Another writer replaced up to a later row: an older replacement changes nothing.
		const other = await another();
		const full = Y.encodeStateAsUpdate(await loadDoc(store, 'log'));
		expect(await other.replaceLog('log', full, appended[4]!.seq, 'compact')).toBe(3);
		expect(await store.replaceLog('log', state, appended[1]!.seq, 'compact')).toBe(0);
		const last = await store.load('log');
		expect(last.updates).toHaveLength(1);
		expect(valuesOf(last.updates)).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
		// Commits go on after it.
		const next = await store.commit(
			{ updates: [{ docId: 'log', update: setting('k5', 5) }] },
			'test'
		);
		expect(next!.get('log')!.prev).toBe(appended[4]!.seq);
	});

	it('compacts a log into one row holding all of it', async () => {
		const { store } = await stores(backend, cleanups);
		for (let k = 0; k < 4; k++)
			await store.commit({ updates: [{ docId: 'c', update: setting(`k${k}`, k) }] }, 'test');
		const head = (await store.heads(['c'])).get('c');
		expect(await store.compact('c')).toBe(4);
		const after = await store.load('c');
		expect(after.updates).toHaveLength(1);
		expect(after.seq).toBe(head);
		expect(valuesOf(after.updates)).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3 });
		expect(await store.compact('c')).toBe(0);
	});

	it('writes many rows of one doc in one commit, numbered one after the other', async () => {
		const { store } = await stores(backend, cleanups);
		const updates = Array.from({ length: 1200 }, (_, i) => ({
			docId: 'many',
			update: setting(`k${i}`, i)
		}));
		const at = (await store.commit({ updates }, 'test'))!.get('many')!;
		const { updates: rows, seq } = await store.load('many');
		expect(rows).toHaveLength(1200);
		expect(seq).toBe(at.seq);
		expect(Object.keys(valuesOf(rows))).toHaveLength(1200);
		const next = (await store.commit(
			{ updates: [{ docId: 'many', update: setting('x', 1) }] },
			'test'
		))!;
		expect(next.get('many')!.prev).toBe(at.seq);
	});

	it('stores updates of any size byte for byte', async () => {
		const { store } = await stores(backend, cleanups);
		const big = new Uint8Array(3 * 1024 * 1024);
		for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
		const slice = big.subarray(1000, 2000);
		await store.commit(
			{
				updates: [
					{ docId: 'bytes', update: big },
					{ docId: 'bytes', update: slice }
				]
			},
			'test'
		);
		const { updates } = await store.load('bytes');
		expect(updates).toHaveLength(2);
		expect(Buffer.from(updates[0]!).equals(Buffer.from(big))).toBe(true);
		expect(Buffer.from(updates[1]!).equals(Buffer.from(slice))).toBe(true);
	});
});
