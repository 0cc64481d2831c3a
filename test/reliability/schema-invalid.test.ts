// Schema-invalid data (issue #8, 6): a client that writes wrong types or huge strings into a table.
// The server caps the size of single values; wrong types are stored (any client can write anything
// into a CRDT) and read as invalid, while the rest of the table keeps working.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { sheetToDoc } from '../../src/lib/doc/sheet-to-doc.ts';
import { readItemMark, roots, scaleOf, textOf } from '../../src/lib/doc/table-doc.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';
import { MAX_VALUE_BYTES } from '../../server/update-guard.ts';
import { loadDoc } from '../../server/store.ts';
import {
	connectClient,
	login,
	startTestServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';
import { smallSheet } from '../helpers/sheet.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	while (cleanups.length) await cleanups.pop()!();
});

async function setup() {
	const data = tempDataDir();
	const server = await startTestServer(data.dir);
	cleanups.push(data.remove, () => server.close());
	const cookie = await login(server.url);
	const open = async () => {
		const client = connectClient(server.url, 'table', cookie);
		cleanups.push(() => client.provider.destroy());
		await synced(client.provider);
		return client;
	};
	return { server, open };
}

function closeCode(client: ReturnType<typeof connectClient>): Promise<number | undefined> {
	return new Promise((resolve) =>
		client.provider.once('connection-close', (e) => resolve(e?.code))
	);
}

describe('schema-invalid data', () => {
	it('refuses a 10 MB string with 4400 and keeps it out of the store and other replicas', async () => {
		const { server, open } = await setup();
		const good = await open();
		sheetToDoc(smallSheet(), good.doc);
		const bad = await open();
		await waitFor(() => roots(bad.doc).items.size === 2, 'table reaches the bad client');
		const closed = closeCode(bad);
		const note = textOf(roots(bad.doc).items.get('a')!, 'note')!;
		note.insert(0, 'x'.repeat(10 * 1024 * 1024));
		expect(await closed).toBe(4400);
		// The same holds for a map value and a binary.
		for (const value of [
			{ blob: 'y'.repeat(2 * MAX_VALUE_BYTES) },
			new Uint8Array(2 * MAX_VALUE_BYTES)
		]) {
			const other = await open();
			const closedOther = closeCode(other);
			roots(other.doc).items.get('b')!.set('title', value);
			expect(await closedOther).toBe(4400);
		}
		good.doc.getText('probe').insert(0, 'ok');
		const reader = await open();
		await waitFor(() => reader.doc.getText('probe').toString() === 'ok', 'relay still works');
		const stored = docToSheet(await loadDoc(server.store, 'table'));
		expect(stored).toEqual(docToSheet(good.doc));
		expect(stored.pillars[0]!.sections[0]!.items[0]!.note).toBe('達成状況');
		expect(
			Math.max(...(await server.store.load('table')).updates.map((u) => u.length))
		).toBeLessThan(MAX_VALUE_BYTES);
	});

	it('accepts a long paragraph under the cap, in one update larger than the cap', async () => {
		const { server, open } = await setup();
		const client = await open();
		sheetToDoc(smallSheet(), client.doc);
		const long = 'あ'.repeat(MAX_VALUE_BYTES - 10);
		client.doc.transact(() => {
			textOf(roots(client.doc).items.get('a')!, 'note')!.insert(0, long);
			textOf(roots(client.doc).items.get('b')!, 'note')!.insert(0, long);
		});
		const reader = await open();
		await waitFor(() => docToSheet(reader.doc).pillars.length === 1, 'the table synced');
		await waitFor(
			() => textOf(roots(reader.doc).items.get('b')!, 'note')!.length > MAX_VALUE_BYTES - 10,
			'long notes relayed'
		);
		expect(docToSheet(await loadDoc(server.store, 'table'))).toEqual(docToSheet(client.doc));
	});

	it('stores wrong types, reads them as invalid, and the rest of the table still works', async () => {
		const { server, open } = await setup();
		const writer = await open();
		sheetToDoc(smallSheet(), writer.doc);
		const row = roots(writer.doc).items.get('a')!;
		writer.doc.transact(() => {
			row.set('title', 42);
			row.set('note', { not: 'a text' });
			row.set('mark1', '○');
			row.set('departments', 'not a list');
			row.set('order', 7);
			roots(writer.doc).meta.set('fiscalYear', 'next year');
			roots(writer.doc).items.set('junk', 'not a row' as unknown as Y.Map<unknown>);
		});
		const reader = await open();
		await waitFor(() => roots(reader.doc).items.has('junk'), 'bad values relayed');
		for (const doc of [reader.doc, await loadDoc(server.store, 'table')]) {
			const sheet = docToSheet(doc);
			const items = sheet.pillars[0]!.sections[0]!.items;
			expect(items.map((i) => i.id)).toEqual(['a', 'b']);
			expect(items[0]).toMatchObject({
				title: '',
				note: '',
				departments: [],
				marks: ['', '', '', '']
			});
			expect(items[1]).toEqual(smallSheet().pillars[0]!.sections[0]!.items[1]);
			expect(readItemMark(roots(doc).items.get('a')!, '1', scaleOf(REFERENCE_SHAPE)).invalid).toBe(
				true
			);
			expect(textOf(roots(doc).items.get('a')!, 'title')).toBeNull(); // TextCell shows ⚠
		}
		// Editing the good cells still works for everyone.
		textOf(roots(reader.doc).items.get('b')!, 'note')!.insert(0, '追記');
		await waitFor(
			() => textOf(roots(writer.doc).items.get('b')!, 'note')!.toString().startsWith('追記'),
			'edit next to bad values'
		);
		expect(docToSheet(writer.doc)).toEqual(docToSheet(reader.doc));
	});
});
