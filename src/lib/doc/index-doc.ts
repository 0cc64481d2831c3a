// The `index` doc: the list of tables, so a table created offline is listed everywhere after sync.
import * as Y from 'yjs';
import { ORIGIN } from './origins.ts';
import { asRow, numOrNull, str } from './table-doc.ts';

export const INDEX_DOC_ID = 'index';

export interface TableEntry {
	id: string;
	title: string;
	fiscalYear: number | null;
	createdAt: number;
	/** Who created or imported it: not known for entries of earlier versions and the CLI's. */
	createdBy?: string;
	archived: boolean;
}

export function tablesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap<Y.Map<unknown>>('tables');
}

export function addTable(
	doc: Y.Doc,
	id: string,
	entry: { title: string; fiscalYear: number; createdBy?: string },
	origin: unknown = ORIGIN.local
): void {
	doc.transact(() => {
		const row = new Y.Map<unknown>();
		row.set('title', entry.title);
		row.set('fiscalYear', entry.fiscalYear);
		row.set('createdAt', Date.now());
		if (entry.createdBy) row.set('createdBy', entry.createdBy.slice(0, 80));
		row.set('archived', false);
		tablesMap(doc).set(id, row);
	}, origin);
}

/** Newest fiscal year first, then by title, then oldest first. */
export function listTables(doc: Y.Doc): TableEntry[] {
	const out: TableEntry[] = [];
	for (const [id, value] of tablesMap(doc).entries()) {
		const row = asRow(value);
		if (!row) continue;
		const createdBy = str(row, 'createdBy').slice(0, 80);
		out.push({
			id,
			title: str(row, 'title'),
			fiscalYear: numOrNull(row.get('fiscalYear')),
			createdAt: numOrNull(row.get('createdAt')) ?? 0,
			...(createdBy ? { createdBy } : {}),
			archived: row.get('archived') === true
		});
	}
	return out.sort(
		(a, b) =>
			(b.fiscalYear ?? 0) - (a.fiscalYear ?? 0) ||
			a.title.localeCompare(b.title, 'ja') ||
			a.createdAt - b.createdAt ||
			(a.id < b.id ? -1 : 1)
	);
}

function entry(doc: Y.Doc, id: string): Y.Map<unknown> | null {
	return asRow(tablesMap(doc).get(id));
}

export function renameTable(
	doc: Y.Doc,
	id: string,
	title: string,
	origin: unknown = ORIGIN.local
): void {
	const row = entry(doc, id);
	if (!row || !title.trim()) return;
	doc.transact(() => row.set('title', title.trim().slice(0, 500)), origin);
}

export function setArchived(
	doc: Y.Doc,
	id: string,
	archived: boolean,
	origin: unknown = ORIGIN.local
): void {
	const row = entry(doc, id);
	if (!row) return;
	doc.transact(() => row.set('archived', archived), origin);
}
