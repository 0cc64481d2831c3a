// Creating tables in the store: one doc per table plus its entry in the `index` doc.
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { newId } from '../src/lib/doc/ids.ts';
import { addTable, INDEX_DOC_ID } from '../src/lib/doc/index-doc.ts';
import { ORIGIN } from '../src/lib/doc/origins.ts';
import { sheetToDoc } from '../src/lib/doc/sheet-to-doc.ts';
import { parseTextTable } from '../src/lib/import/text-table.ts';
import type { SheetJSON } from '../src/lib/model/schema.ts';
import { changeOf, type Commit, type DocStore } from './store.ts';

export const REFERENCE_TABLE = new URL('./seed/r2-progress-table.txt', import.meta.url);

/** What storing a new table commits: its doc, and its entry in `index`. */
async function newTable(
	store: DocStore,
	sheet: SheetJSON,
	writer: string
): Promise<{ id: string; updates: Commit['updates'] }> {
	const id = newId();
	const doc = new Y.Doc();
	sheetToDoc(sheet, doc, writer);
	const table = { docId: id, update: Y.encodeStateAsUpdate(doc) };
	doc.destroy();
	const entry = await changeOf(store, INDEX_DOC_ID, (index) =>
		addTable(index, id, { title: sheet.title, fiscalYear: sheet.fiscalYear }, ORIGIN.import)
	);
	return { id, updates: entry ? [table, entry] : [table] };
}

/** Stores a table and lists it in `index`, all or nothing. Resolves with the new doc id. */
export async function storeNewTable(
	store: DocStore,
	sheet: SheetJSON,
	writer: string
): Promise<string> {
	const { id, updates } = await newTable(store, sheet, writer);
	await store.commit({ updates }, writer);
	return id;
}

/**
 * A new, empty store gets the reference table once; a store that ever had data never again (the
 * `seeded` meta key, set in the same commit: of several starting at once, one seeds).
 */
export async function seedIfEmpty(store: DocStore, writer: string): Promise<string | null> {
	if ((await store.getMeta('seeded')) !== undefined) return null;
	if ((await store.docIds()).length > 0) {
		await store.commit(
			{ updates: [], meta: { seeded: 'existing-data' }, unlessMeta: 'seeded' },
			writer
		);
		return null;
	}
	const sheet = parseTextTable(readFileSync(REFERENCE_TABLE, 'utf8'));
	const { id, updates } = await newTable(store, sheet, writer);
	const seq = await store.commit({ updates, meta: { seeded: id }, unlessMeta: 'seeded' }, writer);
	return seq === null ? null : id;
}
