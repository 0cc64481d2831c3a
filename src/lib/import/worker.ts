// Reads an imported file off the page's thread: unzipping a workbook and inferring its layout
// take long enough on a 500-item table to freeze typing and scrolling.
import { importBytes, isImportError, type Imported } from './any.ts';

export type WorkerReply = { ok: true; imported: Imported } | { ok: false; message: string | null };

self.onmessage = async (event: MessageEvent<{ bytes: ArrayBuffer }>) => {
	let reply: WorkerReply;
	try {
		reply = { ok: true, imported: await importBytes(new Uint8Array(event.data.bytes)) };
	} catch (err) {
		reply = { ok: false, message: isImportError(err) ? err.message : null };
	}
	self.postMessage(reply);
};
