// Reads a file to import in a worker (ui/import-worker.ts), or on the page where workers are not
// available. An import error comes back as its message; anything else as null.
import type { Imported } from '$lib/import/any.ts';
import type { Grid } from '$lib/import/office/grid.ts';
import type { ImportMapping } from '$lib/import/office/mapping.ts';
import type { WorkerReply } from './import-worker.ts';

export class ReadImportError extends Error {
	/** The import's own message (in Japanese), or null when the file could not be read at all. */
	readonly detail: string | null;
	/** The file as read when only its inferred mapping failed: the preview offers to correct it. */
	readonly found: { mapping: ImportMapping; grids: Grid[] } | undefined;
	constructor(detail: string | null, found?: { mapping: ImportMapping; grids: Grid[] }) {
		super(detail ?? 'import failed');
		this.name = 'ReadImportError';
		this.detail = detail;
		this.found = found;
	}
}

/** Longer than any file within the limits takes; a file that takes longer is given up. */
const READ_TIMEOUT_MS = 60_000;

/**
 * Reads `bytes` in a worker. `signal` (a new file chosen, the dialog closed) stops it at once:
 * the worker and pdf.js's beside it are terminated, and the promise ends as aborted.
 */
export async function readImport(bytes: ArrayBuffer, signal?: AbortSignal): Promise<Imported> {
	let worker: Worker;
	try {
		worker = new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' });
	} catch {
		return readHere(bytes);
	}
	let reply: WorkerReply;
	try {
		// Copied, not transferred: if the worker cannot start, the page reads the file itself.
		reply = await new Promise<WorkerReply>((resolve, reject) => {
			const timer = setTimeout(
				() =>
					reject(new ReadImportError('ファイルの読み込みに時間がかかりすぎたため、中止しました')),
				READ_TIMEOUT_MS
			);
			const stop = () => reject(new DOMException('import aborted', 'AbortError'));
			if (signal?.aborted) stop();
			signal?.addEventListener('abort', stop, { once: true });
			worker.onmessage = (e: MessageEvent<WorkerReply>) => {
				clearTimeout(timer);
				resolve(e.data);
			};
			worker.onerror = (e) => {
				clearTimeout(timer);
				reject(new Error(e.message));
			};
			worker.postMessage({ bytes });
		});
	} catch (err) {
		if (
			err instanceof ReadImportError ||
			(err instanceof DOMException && err.name === 'AbortError')
		)
			throw err;
		console.warn('import worker failed; reading on the page', err);
		return readHere(bytes);
	} finally {
		worker.terminate();
	}
	if (!reply.ok) {
		if (reply.bug) console.error('import worker:', reply.bug); // a bug, not the file
		throw new ReadImportError(reply.message, reply.found);
	}
	return reply.imported;
}

async function readHere(bytes: ArrayBuffer): Promise<Imported> {
	await import('./pdf-worker.ts');
	const { importBytes, isImportError } = await import('$lib/import/any.ts');
	const { OfficeImportError } = await import('$lib/import/office/errors.ts');
	try {
		return await importBytes(new Uint8Array(bytes));
	} catch (err) {
		if (!isImportError(err)) console.error(err); // a bug, not the file: kept for the console
		const found =
			err instanceof OfficeImportError && err.mapping && err.grids
				? { mapping: err.mapping, grids: err.grids }
				: undefined;
		throw new ReadImportError(isImportError(err) ? err.message : null, found);
	}
}
