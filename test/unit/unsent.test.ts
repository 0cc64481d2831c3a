import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	addLost,
	forgetLost,
	LEGACY_PENDING_PREFIX,
	lostCount,
	lostEdits,
	MAX_DELETE_RANGES,
	recheckLost,
	UNSENT_PREFIX,
	UnsentEdits,
	unsentOnDevice,
	type KeyValueStore
} from '../../src/lib/sync/unsent.ts';

const DOC = 'r2demo';
const REPLAY = { name: 'device copy' };

/** localStorage as a Map. */
function deviceStorage(): KeyValueStore & { map: Map<string, string> } {
	const map = new Map<string, string>();
	return {
		map,
		get length() {
			return map.size;
		},
		key: (i) => [...map.keys()][i] ?? null,
		getItem: (k) => map.get(k) ?? null,
		setItem: (k, v) => void map.set(k, String(v)),
		removeItem: (k) => void map.delete(k)
	};
}

/** One tab's session of the doc: counts its local transactions as RemoteSync does. */
function session(storage: KeyValueStore, page: string, copy?: Uint8Array) {
	const doc = new Y.Doc();
	const unsent = new UnsentEdits(DOC, page, storage);
	let changes = 0;
	doc.on('afterTransaction', (tr: Y.Transaction) => {
		if (tr.origin !== REPLAY && unsent.note(tr)) changes++;
	});
	if (copy) Y.applyUpdate(doc, copy, REPLAY);
	const items = doc.getMap<string>('items');
	return { doc, unsent, items, changes: () => changes };
}

/** The server's doc with one item, which every device starts from. */
function serverDoc(): Y.Doc {
	const server = new Y.Doc();
	server.getMap<string>('items').set('base', '基本');
	return server;
}

const unsentKeys = (storage: ReturnType<typeof deviceStorage>) =>
	[...storage.map.keys()].filter((k) => k.startsWith(UNSENT_PREFIX));

describe('unsent edits', () => {
	it('counts the local transactions that change something, and forgets them once confirmed', () => {
		const storage = deviceStorage();
		const a = session(storage, 'p1');
		a.items.set('x', '1');
		a.items.set('y', '2');
		a.doc.transact(() => {}); // changes nothing
		expect(a.unsent.count).toBe(2);
		expect(a.changes()).toBe(2);
		expect(unsentOnDevice(storage)).toBe(2);
		a.unsent.confirm();
		expect(a.unsent.count).toBe(0);
		expect(unsentKeys(storage)).toEqual([]);
	});

	it('a reload takes over the edits of the tab before it, from the device copy', () => {
		const storage = deviceStorage();
		const before = session(storage, 'p1', Y.encodeStateAsUpdate(serverDoc()));
		before.items.set('x', '1');
		before.items.delete('base');
		before.items.set('y', '2');
		before.unsent.close();
		const copy = Y.encodeStateAsUpdate(before.doc);

		const after = session(storage, 'p2', copy);
		const lost = after.unsent.review(after.doc, new Set(['p2']), { confirmed: false, adopt: true });
		expect(lost).toEqual([]);
		expect(after.unsent.count).toBe(3);
		after.items.set('z', '3');
		expect(after.unsent.count).toBe(4);
		expect(unsentOnDevice(storage)).toBe(4);
		after.unsent.confirm();
		expect(unsentOnDevice(storage)).toBe(0);
	});

	it('a device copy that lacks recorded edits gives them as lost, deletions too', () => {
		const storage = deviceStorage();
		const start = Y.encodeStateAsUpdate(serverDoc());
		const before = session(storage, 'p1', start);
		for (let i = 0; i < 10; i++) before.items.set(`k${i}`, String(i));
		before.unsent.close();
		// The browser's data was cleared: the device copy is gone.
		const after = session(storage, 'p2');
		const lost = after.unsent.review(after.doc, new Set(['p2']), { confirmed: false, adopt: true });
		expect(lostCount(lost)).toBe(10);
		expect(after.unsent.count).toBe(0);
		expect(unsentOnDevice(storage)).toBe(0);

		// A deletion alone leaves the state vector as it was: it is checked by its range.
		const storage2 = deviceStorage();
		const deleter = session(storage2, 'p3', start);
		const copyBefore = Y.encodeStateAsUpdate(deleter.doc);
		deleter.items.delete('base');
		deleter.unsent.close();
		const reopened = session(storage2, 'p4', copyBefore);
		const lost2 = reopened.unsent.review(reopened.doc, null, { confirmed: false, adopt: true });
		expect(lostCount(lost2)).toBe(1);
	});

	it('leaves the edits of a tab that is still open to that tab, and takes them over once it is closed', () => {
		const storage = deviceStorage();
		const a = session(storage, 'p1', Y.encodeStateAsUpdate(serverDoc()));
		a.items.set('x', '1');
		a.items.set('y', '2');
		const b = session(storage, 'p2', Y.encodeStateAsUpdate(a.doc));
		const open = new Set(['p1', 'p2']);
		expect(b.unsent.review(b.doc, open, { confirmed: false, adopt: true })).toEqual([]);
		expect(b.unsent.count).toBe(0);
		expect(a.unsent.count).toBe(2);
		// A's edits made after B read the device copy are not lost: A still holds them.
		a.items.set('z', '3');
		const c = session(storage, 'p3', Y.encodeStateAsUpdate(b.doc));
		expect(
			c.unsent.review(c.doc, new Set(['p1', 'p3']), { confirmed: false, adopt: true })
		).toEqual([]);
		expect(c.unsent.count).toBe(0);

		a.unsent.close();
		const d = session(storage, 'p4', Y.encodeStateAsUpdate(a.doc));
		expect(d.unsent.review(d.doc, new Set(['p4']), { confirmed: false, adopt: true })).toEqual([]);
		expect(d.unsent.count).toBe(3);
		// Taken over: a tab opening now leaves them to D.
		const e = session(storage, 'p5', Y.encodeStateAsUpdate(a.doc));
		e.unsent.review(e.doc, new Set(['p4', 'p5']), { confirmed: false, adopt: true });
		expect(e.unsent.count).toBe(0);
	});

	it('a page gone without closing its records (a crash) is told by its lock', () => {
		const storage = deviceStorage();
		const a = session(storage, 'p1');
		a.items.set('x', '1');
		const b = session(storage, 'p2', Y.encodeStateAsUpdate(a.doc));
		b.unsent.review(b.doc, new Set(['p2']), { confirmed: false, adopt: true });
		expect(b.unsent.count).toBe(1);
		// With no Web Locks, a record not marked closed is taken as its page's, still open.
		const storage2 = deviceStorage();
		const a2 = session(storage2, 'p1');
		a2.items.set('x', '1');
		const c = session(storage2, 'p3', Y.encodeStateAsUpdate(a2.doc));
		c.unsent.review(c.doc, null, { confirmed: false, adopt: true });
		expect(c.unsent.count).toBe(0);
	});

	it('forgets the records of gone tabs when the server already has the doc, and a viewer leaves them', () => {
		const storage = deviceStorage();
		const a = session(storage, 'p1');
		a.items.set('x', '1');
		a.unsent.close();
		const viewer = session(storage, 'p2', Y.encodeStateAsUpdate(a.doc));
		viewer.unsent.review(viewer.doc, new Set(['p2']), { confirmed: false, adopt: false });
		expect(viewer.unsent.count).toBe(0);
		expect(unsentOnDevice(storage)).toBe(1);
		const synced = session(storage, 'p3', Y.encodeStateAsUpdate(a.doc));
		synced.unsent.review(synced.doc, new Set(['p3']), { confirmed: true, adopt: true });
		expect(synced.unsent.count).toBe(0);
		expect(unsentOnDevice(storage)).toBe(0);
	});

	it('lost edits the server turns out to have are not lost', () => {
		const storage = deviceStorage();
		const server = serverDoc();
		const a = session(storage, 'p1', Y.encodeStateAsUpdate(server));
		a.items.set('sent', 'サーバーに届いた');
		Y.applyUpdate(server, Y.encodeStateAsUpdate(a.doc)); // sent, never acknowledged
		a.items.set('unsent', '届いていない');
		a.unsent.close();
		const b = session(storage, 'p2');
		addLost(DOC, b.unsent.review(b.doc, null, { confirmed: false, adopt: true }), storage);
		expect(lostCount(lostEdits(DOC, storage))).toBe(2);
		Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(server));
		// One record for the tab's two edits: still lost as a whole, since one is not on the server.
		expect(lostCount(recheckLost(DOC, b.doc, storage))).toBe(2);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(a.doc));
		Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(server));
		expect(lostCount(recheckLost(DOC, b.doc, storage))).toBe(0);
		expect(storage.getItem(`shinko:lost:${DOC}`)).toBeNull();

		addLost(DOC, [{ page: 'p9', n: 4, sv: { 1: 5 }, del: {} }], storage);
		expect(lostCount(lostEdits(DOC, storage))).toBe(4);
		forgetLost(DOC, storage);
		expect(lostEdits(DOC, storage)).toEqual([]);
	});

	it('stops listing deletions past the limit, and reads the count of earlier versions', () => {
		const storage = deviceStorage();
		const a = session(storage, 'p1');
		const text = a.doc.getText('note');
		for (let i = 0; i < MAX_DELETE_RANGES + 5; i++) text.insert(text.length, 'ab');
		for (let i = text.length - 1; i >= 0; i -= 2) text.delete(i, 1);
		const record = JSON.parse(storage.getItem(unsentKeys(storage)[0]!)!);
		expect(record.delOmitted).toBe(true);
		expect(record.del).toEqual({});

		storage.setItem(LEGACY_PENDING_PREFIX + DOC, '3');
		const b = session(storage, 'p2', Y.encodeStateAsUpdate(a.doc));
		b.unsent.review(b.doc, new Set(['p1', 'p2']), { confirmed: false, adopt: true });
		expect(b.unsent.count).toBe(3);
		b.unsent.confirm();
		expect(storage.getItem(LEGACY_PENDING_PREFIX + DOC)).toBeNull();
		storage.setItem('shinko:unsent:other:p7:x', 'not json');
		expect(unsentOnDevice(storage)).toBe(a.unsent.count);
	});
});
