// Creating tables in the store: one doc per table plus its entry in the `index` doc.
import { readFileSync } from 'node:fs';
import { newId } from '../src/lib/doc/ids.ts';
import { addTable, INDEX_DOC_ID } from '../src/lib/doc/index-doc.ts';
import { ORIGIN } from '../src/lib/doc/origins.ts';
import { sheetToDoc } from '../src/lib/doc/sheet-to-doc.ts';
import { parseTextTable } from '../src/lib/import/text-table.ts';
import type { SheetJSON } from '../src/lib/model/schema.ts';
import { mutateDoc, type DocStore } from './store.ts';

export const REFERENCE_TABLE = new URL('./seed/r2-progress-table.txt', import.meta.url);

/** Stores a table and lists it in `index`, all or nothing. Returns the new doc id. */
export function storeNewTable(store: DocStore, sheet: SheetJSON, writer: string): string {
	const id = newId();
	store.transaction(() => {
		mutateDoc(store, id, writer, (doc) => sheetToDoc(sheet, doc, writer));
		mutateDoc(store, INDEX_DOC_ID, writer, (doc) =>
			addTable(doc, id, { title: sheet.title, fiscalYear: sheet.fiscalYear }, ORIGIN.import)
		);
	});
	return id;
}

/** A new, empty data dir gets the reference table once; a store that ever had data never again. */
export function seedIfEmpty(store: DocStore, writer: string): string | null {
	return store.transaction(() => {
		if (store.getMeta('seeded') !== undefined) return null;
		if (store.docIds().length > 0) {
			store.setMeta('seeded', 'existing-data');
			return null;
		}
		const sheet = parseTextTable(readFileSync(REFERENCE_TABLE, 'utf8'));
		const id = storeNewTable(store, sheet, writer);
		store.setMeta('seeded', id);
		return id;
	});
}
