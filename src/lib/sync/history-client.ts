// The browser side of /api/docs/<docId>/snapshots.
import { z } from 'zod/mini';
import { sheetSchema, type SheetJSON } from '../model/schema.ts';

export const snapshotInfoSchema = z.object({
	id: z.number(),
	docId: z.string(),
	name: z.string(),
	kind: z.enum(['manual', 'quarter', 'daily']),
	author: z.string(),
	createdAt: z.number(),
	size: z.optional(z.number())
});
export type SnapshotInfo = z.infer<typeof snapshotInfoSchema>;

export class HistoryError extends Error {
	override name = 'HistoryError';
	constructor(readonly status: number) {
		super(`history request failed: ${status}`);
	}
}

async function request(url: string, init?: RequestInit): Promise<unknown> {
	let res: Response;
	try {
		res = await fetch(url, { credentials: 'same-origin', ...init });
	} catch {
		throw new HistoryError(0);
	}
	if (!res.ok) throw new HistoryError(res.status);
	return res.json();
}

const base = (docId: string) => `/api/docs/${encodeURIComponent(docId)}/snapshots`;

export async function listSnapshots(docId: string): Promise<SnapshotInfo[]> {
	const body = z
		.object({ snapshots: z.array(snapshotInfoSchema) })
		.parse(await request(base(docId)));
	return body.snapshots;
}

export async function getSnapshot(docId: string, id: number): Promise<SheetJSON> {
	const body = z
		.object({ snapshot: snapshotInfoSchema, sheet: sheetSchema })
		.parse(await request(`${base(docId)}/${id}`));
	return body.sheet;
}

export async function takeSnapshot(docId: string, name: string): Promise<SnapshotInfo> {
	const body = z.object({ snapshot: snapshotInfoSchema }).parse(
		await request(base(docId), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name })
		})
	);
	return body.snapshot;
}
