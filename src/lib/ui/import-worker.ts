// Reads an imported file off the page's thread: unzipping a workbook and inferring its layout
// take long enough on a 500-item table to freeze typing and scrolling.
import './pdf-worker.ts';
import { importBytes, isImportError, type Imported } from '$lib/import/any.ts';
import { OfficeImportError } from '$lib/import/office/errors.ts';
import type { Grid } from '$lib/import/office/grid.ts';
import type { ImportMapping } from '$lib/import/office/mapping.ts';

export type WorkerReply =
	| { ok: true; imported: Imported }
	| {
			ok: false;
			message: string | null;
			bug?: string;
			/** The office's file as read, when only the inferred mapping failed: to be corrected. */
			found?: { mapping: ImportMapping; grids: Grid[] };
	  };

self.onmessage = async (event: MessageEvent<{ bytes: ArrayBuffer }>) => {
	let reply: WorkerReply;
	try {
		reply = { ok: true, imported: await importBytes(new Uint8Array(event.data.bytes)) };
	} catch (err) {
		reply = isImportError(err)
			? {
					ok: false,
					message: err.message,
					...(err instanceof OfficeImportError && err.mapping && err.grids
						? { found: { mapping: err.mapping, grids: err.grids } }
						: {})
				}
			: {
					ok: false,
					message: null,
					bug: err instanceof Error ? (err.stack ?? err.message) : String(err)
				};
	}
	self.postMessage(reply);
};
