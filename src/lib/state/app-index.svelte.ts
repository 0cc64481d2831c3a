// The `index` doc (the list of tables) stays open for the whole app while someone is logged in,
// so a table created or renamed offline is listed everywhere as soon as the network is back,
// whichever page is on screen then.
import { INDEX_DOC_ID } from '../doc/index-doc.ts';
import { DocSession } from '../sync/doc-session.svelte.ts';

export class AppIndex {
	session = $state<DocSession | null>(null);

	open(): DocSession {
		this.session ??= new DocSession(INDEX_DOC_ID);
		return this.session;
	}

	close(): void {
		this.session?.destroy();
		this.session = null;
	}
}
