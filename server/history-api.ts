// /api/docs/<docId>/snapshots: the history of a table, kept by the server in SQLite.
//   GET  …/snapshots            list (newest first)
//   POST …/snapshots {name}     take a named snapshot of the current state (editors, admins;
//                               at most SNAPSHOTS_PER_MINUTE per user, then 429)
//   GET  …/snapshots/<id>       one snapshot as SheetJSON, to view, diff or restore from
// Restoring happens in the client, as a forward change that syncs like any edit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { z } from 'zod';
import { INDEX_DOC_ID } from '../src/lib/doc/index-doc.ts';
import { DOC_ID } from '../src/lib/model/schema.ts';
import { HttpError, json, readJson, tooManyRequests, type Auth } from './auth.ts';
import type { Logger } from './log.ts';
import { RateLimiter, reserveAll } from './rate-limit.ts';
import { SnapshotError, snapshotSheet, type Snapshots } from './snapshots.ts';
import { loadDoc, type DocStore } from './store.ts';
import type { SyncServer } from './sync/registry.ts';

const ROUTE = /^\/api\/docs\/([^/]+)\/snapshots(?:\/(\d+))?$/;
const createSchema = z.object({ name: z.string().min(1).max(200) });

/**
 * Manual snapshots one user may take per minute. Each is a full copy of the table in SQLite, so
 * without a limit one account fills the disk; people name one after a meeting, not ten a minute.
 */
export const SNAPSHOTS_PER_MINUTE = 10;
/**
 * Snapshots one user may open per minute. Each is decoded and turned into SheetJSON (9 ms for the
 * reference table, more for a big one): 200 asked at once took 1.9 s of the server's CPU. A
 * person reading the history opens one every few seconds.
 */
export const SNAPSHOT_READS_PER_MINUTE = 30;

export class HistoryApi {
	constructor(
		private readonly options: {
			auth: Auth;
			snapshots: Snapshots;
			store: DocStore;
			sync: SyncServer;
			log: Logger;
		}
	) {}

	private readonly manualSnapshots = new RateLimiter(SNAPSHOTS_PER_MINUTE, 60_000);
	private readonly snapshotReads = new RateLimiter(SNAPSHOT_READS_PER_MINUTE, 60_000);

	/**
	 * Refuses doc ids that have no history. The index doc is the list of tables, not a table, and
	 * its history is never shown; a doc outside the list has none either.
	 */
	private async requireTable(docId: string): Promise<void> {
		if (docId === INDEX_DOC_ID) throw new HttpError(404, 'not_found');
		// Only the tables in the list have a history: no snapshots of unlisted docs to fill the store.
		if (!(await this.options.sync.isListed(docId))) throw new HttpError(404, 'not_found');
	}

	/** The doc's current state: from the open room when there is one, else from the store. */
	async state(docId: string): Promise<Uint8Array> {
		const open = this.options.sync.loadedDoc(docId);
		if (open) return Y.encodeStateAsUpdate(open);
		const doc = await loadDoc(this.options.store, docId);
		const state = Y.encodeStateAsUpdate(doc);
		doc.destroy();
		return state;
	}

	/** Takes the automatic quarter-end and daily snapshots that are due, for every table. */
	async takeAutomatic(now = new Date()): Promise<number> {
		let taken = 0;
		let docIds: string[];
		try {
			docIds = await this.options.store.docIds();
		} catch (err) {
			this.options.log.error('automatic snapshots failed', { error: String(err) });
			return 0;
		}
		for (const docId of docIds) {
			if (docId === INDEX_DOC_ID) continue;
			try {
				const lastChange = this.options.sync.lastChange.get(docId) ?? null;
				const snapshots = await this.options.snapshots.takeAutomatic(
					docId,
					() => this.state(docId),
					now,
					lastChange
				);
				taken += snapshots.length;
			} catch (err) {
				this.options.log.error('automatic snapshot failed', { docId, error: String(err) });
			}
		}
		return taken;
	}

	async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
		const match = ROUTE.exec(path);
		if (!match) return false;
		try {
			let docId: string;
			try {
				docId = decodeURIComponent(match[1]!);
			} catch {
				throw new HttpError(400, 'bad_doc_id');
			}
			if (!DOC_ID.test(docId)) throw new HttpError(400, 'bad_doc_id');
			const current = await this.options.auth.session(req, true);
			if (!current) throw new HttpError(401, 'login_required');
			await this.requireTable(docId);
			const { snapshots } = this.options;
			if (req.method === 'GET' && !match[2]) {
				json(res, 200, { snapshots: await snapshots.list(docId) });
			} else if (req.method === 'GET') {
				const read = reserveAll([[this.snapshotReads, current.session.user.username]]);
				if ('wait' in read) {
					tooManyRequests(res, 'too_many_snapshot_reads', read.wait);
					return true;
				}
				const found = await snapshots.get(Number(match[2]));
				if (!found || found.info.docId !== docId) throw new HttpError(404, 'not_found');
				json(res, 200, { snapshot: found.info, sheet: snapshotSheet(found.state) });
			} else if (req.method === 'POST' && !match[2]) {
				if (!this.options.auth.originAllowed(req, { required: false })) {
					throw new HttpError(403, 'bad_origin');
				}
				if (current.session.user.role === 'viewer') throw new HttpError(403, 'read_only');
				// Counted before the body is read, so parallel requests cannot all pass the check;
				// given back unless a snapshot is taken.
				const attempt = reserveAll([[this.manualSnapshots, current.session.user.username]]);
				if ('wait' in attempt) {
					tooManyRequests(res, 'too_many_snapshots', attempt.wait);
					return true;
				}
				try {
					const body = createSchema.safeParse(await readJson(req));
					if (!body.success) throw new HttpError(400, 'invalid_request');
					if ((await this.options.store.load(docId)).updates.length === 0)
						throw new HttpError(404, 'not_found');
					const info = await snapshots.create(docId, await this.state(docId), {
						name: body.data.name,
						kind: 'manual',
						author: current.session.user.displayName
					});
					json(res, 201, { snapshot: info });
				} catch (err) {
					attempt.release();
					throw err;
				}
			} else {
				throw new HttpError(405, 'method_not_allowed');
			}
		} catch (err) {
			if (err instanceof HttpError) json(res, err.status, { error: err.code });
			else if (err instanceof SnapshotError)
				json(res, 400, { error: 'invalid', message: err.message });
			else {
				this.options.log.error('history api error', { path, error: String(err) });
				json(res, 500, { error: 'internal' });
			}
		}
		return true;
	}
}
