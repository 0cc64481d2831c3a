// Reads an imported file off the page's thread: unzipping a workbook and inferring its layout
// take long enough on a 500-item table to freeze typing and scrolling.
import './pdf-worker.ts';
import { importBytes, isImportError, type Imported } from '$lib/import/any.ts';

export type WorkerReply =
	{ ok: true; imported: Imported } | { ok: false; message: string | null; bug?: string };

self.onmessage = async (event: MessageEvent<{ bytes: ArrayBuffer }>) => {
	let reply: WorkerReply;
	try {
		reply = { ok: true, imported: await importBytes(new Uint8Array(event.data.bytes)) };
	} catch (err) {
		reply = isImportError(err)
			? { ok: false, message: err.message }
			: {
					ok: false,
					message: null,
					bug: err instanceof Error ? (err.stack ?? err.message) : String(err)
				};
	}
	self.postMessage(reply);
};
