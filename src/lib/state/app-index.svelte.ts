// The `index` doc (the list of tables) stays open for the whole app while someone is logged in,
// so a table created or renamed offline is listed everywhere as soon as the network is back,
// whichever page is on screen then.
import { INDEX_DOC_ID, listTables, tablesMap, type TableEntry } from '../doc/index-doc.ts';
import { DocSession } from '../sync/doc-session.svelte.ts';
import { YReader } from './y-reader.ts';

export class AppIndex {
	session = $state<DocSession | null>(null);
	/** The list's reader, for the session it reads (a new one after a logout and login). */
	private reader: { session: DocSession; list: YReader<TableEntry[]> } | null = null;

	open(): DocSession {
		this.session ??= new DocSession(INDEX_DOC_ID);
		return this.session;
	}

	close(): void {
		this.session?.destroy();
		this.session = null;
		this.reader = null;
	}

	/** The tables listed (listTables' order), kept up to date; none while no one is logged in. */
	get tables(): TableEntry[] {
		const session = this.session;
		if (!session) return [];
		if (this.reader?.session !== session) {
			const list = new YReader(tablesMap(session.doc), () => listTables(session.doc), {
				deep: true
			});
			this.reader = { session, list };
		}
		return this.reader.list.current;
	}
}
