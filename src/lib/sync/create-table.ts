// Creating a table on this device: its doc (IndexedDB first, the server when online) and its
// entry in `index`. Works offline; everything syncs when the network is back.
import type * as Y from 'yjs';
import { newId } from '../doc/ids.ts';
import { addTable } from '../doc/index-doc.ts';
import { docToSheet } from '../doc/sheet-doc.ts';
import { sheetToDoc } from '../doc/sheet-to-doc.ts';
import { roots } from '../doc/table-doc.ts';
import type { SheetJSON } from '../model/schema.ts';
import { DocSession } from './doc-session.svelte.ts';

/** How long a background session stays open so the new table reaches the server. */
const LINGER_MS = 15_000;

export async function createTable(index: Y.Doc, sheet: SheetJSON, by: string): Promise<string> {
	const id = newId();
	const session = new DocSession(id);
	// Without a device copy (IndexedDB refused) the table goes to the server only.
	await session.local.whenLoaded.catch(() => {});
	sheetToDoc(sheet, session.doc, by);
	addTable(index, id, { title: sheet.title, fiscalYear: sheet.fiscalYear, createdBy: by });
	setTimeout(() => session.destroy(), LINGER_MS);
	return id;
}

/** A table's content as plain JSON, from this device or, if it is not here yet, the server. */
export async function readTable(id: string, timeoutMs = 8000): Promise<SheetJSON | null> {
	const session = new DocSession(id);
	try {
		await session.local.whenLoaded.catch(() => {});
		if (roots(session.doc).meta.size === 0) {
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, timeoutMs);
				session.remote.provider.once('sync', () => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		return roots(session.doc).meta.size === 0 ? null : docToSheet(session.doc);
	} finally {
		session.destroy();
	}
}
