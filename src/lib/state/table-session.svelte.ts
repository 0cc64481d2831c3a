// One open table: its doc session, a runes view of its structure, undo, and the edit operations.
import * as Y from 'yjs';
import { migrate } from '../doc/migrate.ts';
import { docToSheet } from '../doc/sheet-doc.ts';
import type { SheetJSON } from '../model/schema.ts';
import { serverNow } from '../doc/clock.ts';
import { changesMap, readChanges, recordChange } from '../doc/changes.ts';
import { addComment, commentsMap, readComments, setThreadResolved } from '../doc/comments.ts';
import {
	deleteItem,
	insertItem,
	insertItems,
	moveItem,
	insertPillar,
	insertSection,
	itemNumber,
	setDepartments,
	setItemMark,
	setKpiValue,
	setKpiYearValue,
	spliceText
} from '../doc/ops.ts';
import type { KpiField } from '../doc/ops.ts';
import { ORIGIN } from '../doc/origins.ts';
import {
	deleteHeading,
	headingContents,
	moveHeadingBy,
	moveHeadingTo,
	type HeadingKind
} from '../doc/heading-ops.ts';
import { readShape, shapeMap } from '../doc/shape-doc.ts';
import { readMark } from '../doc/mark-register.ts';
import {
	isText,
	numOrNull,
	readKpis,
	readOutline,
	roots,
	scaleOf,
	stringList
} from '../doc/table-doc.ts';
import type { CellWrite } from '../model/grid-block.ts';
import { markKey } from '../model/item-fields.ts';
import { postComment, type CommentRefusal } from '../sync/comment-client.ts';
import { DocSession } from '../sync/doc-session.svelte.ts';
import { Presence } from './presence.svelte.ts';
import { YReader, type YEvents } from './y-reader.ts';

const STRUCTURE_KEYS = new Set(['order', 'sectionId', 'pillarId', 'level', 'parent']);

/** Only row additions, removals and moves change the outline; typing in a cell does not. */
function structural(events: YEvents): boolean {
	return events.some(
		(e) =>
			e.path.length === 0 ||
			(e.path.length === 1 &&
				e instanceof Y.YMapEvent &&
				Array.from(e.keysChanged).some((k) => STRUCTURE_KEYS.has(k)))
	);
}

export class TableSession {
	readonly session: DocSession;
	readonly doc: Y.Doc;
	readonly undoManager: Y.UndoManager;
	readonly outline;
	readonly kpis;
	readonly meta;
	/** The table's shape and what was removed from it (src/lib/doc/shape-doc.ts). */
	readonly shape;
	/** The whole table as plain JSON, re-read on any change: for filters, summaries and exports. */
	readonly sheet;
	readonly presence: Presence;
	readonly comments;
	readonly changes;
	/** The item whose comment thread is open, if any. */
	commentsFor = $state<string | null>(null);
	/** Highlight cells changed after this time (ms), or nothing when null. */
	highlightSince = $state<number | null>(null);
	/** The items with a cell changed after `highlightSince`. */
	readonly highlightedItems: Set<string> = $derived.by(() => {
		const since = this.highlightSince;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt whole, never mutated after
		const items = new Set<string>();
		if (since === null) return items;
		for (const [key, change] of this.changes.current)
			if (change.at > since) items.add(key.slice(0, key.lastIndexOf('/')));
		return items;
	});
	/** When this device last had the table open before now (for "since your last visit"). */
	readonly previousVisit: number | null;
	/** False when the doc was written by a newer Shinko: then nothing is changed. */
	compatible = $state(true);

	constructor(
		readonly docId: string,
		readonly user: { name: string; role: 'admin' | 'editor' | 'viewer' }
	) {
		this.session = new DocSession(docId);
		this.doc = this.session.doc;
		this.session.remote.readonly = user.role === 'viewer';
		this.presence = new Presence(this.session.remote.provider.awareness, user);
		const r = roots(this.doc);
		// (The shape too: the number of heading levels changes how sections nest.)
		this.outline = new YReader(
			[r.pillars, r.sections, r.items, shapeMap(this.doc)],
			() => readOutline(this.doc),
			{ deep: true, filter: structural }
		);
		this.kpis = new YReader(r.kpis, () => readKpis(this.doc), { deep: true, filter: structural });
		// The table's shape (shape-doc.ts): from the shape's root, or, for a table made before
		// shapes, from its meta.
		this.shape = new YReader([r.meta, shapeMap(this.doc)], () => readShape(this.doc));
		this.meta = new YReader([r.meta, shapeMap(this.doc)], () => {
			const { shape } = this.shape.current;
			return {
				title: typeof r.meta.get('title') === 'string' ? (r.meta.get('title') as string) : '',
				fiscalYear: numOrNull(r.meta.get('fiscalYear')),
				departments: shape.departments.map((d) => d.name),
				empty: r.meta.size === 0
			};
		});
		this.sheet = new YReader(
			[r.meta, r.pillars, r.sections, r.items, r.kpis, shapeMap(this.doc)],
			() => docToSheet(this.doc),
			{
				deep: true
			}
		);
		this.comments = new YReader(commentsMap(this.doc), () => readComments(this.doc), {
			deep: true
		});
		this.changes = new YReader(changesMap(this.doc), () => readChanges(this.doc));
		this.previousVisit = rememberVisit(docId);
		this.undoManager = new Y.UndoManager(
			[r.meta, r.pillars, r.sections, r.items, r.kpis, shapeMap(this.doc)],
			{
				// eslint-disable-next-line svelte/prefer-svelte-reactivity -- Yjs's option, not UI state
				trackedOrigins: new Set([ORIGIN.local, ORIGIN.restore]),
				captureTimeout: 600
			}
		);
		const check = () => (this.compatible = migrate(this.doc));
		this.session.local.whenLoaded.then(check, () => {});
		this.session.remote.provider.on('sync', check);
	}

	/** The outline, re-read when rows, sections or pillars are added, removed or moved. */
	get structure() {
		return this.outline.current;
	}

	get readonly(): boolean {
		return !this.compatible || this.user.role === 'viewer';
	}

	/** Runs an edit of one cell as one local transaction, noting who changed the cell. */
	edit(itemId: string, field: string, change: () => void): void {
		if (this.readonly) return;
		this.doc.transact(() => {
			change();
			recordChange(this.doc, itemId, field, this.user.name);
		}, ORIGIN.local);
	}

	editText(itemId: string, field: string, text: Y.Text, next: string, cursor?: number): void {
		this.edit(itemId, field, () => spliceText(text, next, ORIGIN.local, cursor));
	}

	/** Sets (or with '' clears) an item's mark of a period, by the period's id. */
	setMark(itemId: string, periodId: string, value: string): void {
		this.edit(itemId, markKey(periodId), () =>
			setItemMark(
				this.doc,
				itemId,
				periodId,
				value,
				this.user.name,
				ORIGIN.local,
				this.shape.current.shape
			)
		);
	}

	setDepartments(itemId: string, departments: string[]): void {
		this.edit(itemId, 'departments', () => setDepartments(this.doc, itemId, departments));
	}

	/**
	 * Writes a block of cells (a paste, a fill, a clear) as one undo step. `items` are the ids of
	 * the grid's items in order; a write to an item past them adds the items it needs after the
	 * last one, in its section, numbered on. Cells already holding the value are left alone, and
	 * so is a cell holding something that is not text (malformed). Returns the ids, added ones too.
	 */
	writeCells(items: readonly string[], writes: readonly CellWrite[]): string[] | null {
		const ids = [...items];
		if (this.readonly || writes.length === 0) return ids;
		const um = this.undoManager;
		const shape = this.shape.current.shape;
		const rows = roots(this.doc).items;
		const needed = Math.max(...writes.map((w) => w.item)) + 1;
		const section = ids.length > 0 ? this.sectionOf(ids.at(-1)!) : undefined;
		// Items past the last one go in its section; an item without one has nowhere to add them.
		if (needed > ids.length && !section) return null;
		um.stopCapturing();
		this.doc.transact(() => {
			if (section && needed > ids.length) {
				const added = insertItems(
					this.doc,
					section.id,
					ids.at(-1)!,
					needed - ids.length,
					this.user.name
				);
				added.forEach((id, i) => rows.get(id)?.set('no', itemNumber(section.items.length + i + 1)));
				ids.push(...added);
			}
			for (const w of writes) {
				const itemId = ids[w.item];
				const row = itemId ? rows.get(itemId) : undefined;
				if (!itemId || !row) continue;
				if (w.kind === 'text') {
					const text = row.get(w.key);
					if (text === undefined && w.value !== '') row.set(w.key, new Y.Text(w.value));
					else if (!isText(text) || text.toString() === w.value) continue;
					else spliceText(text, w.value, ORIGIN.local);
					recordChange(this.doc, itemId, w.key, this.user.name);
				} else if (w.kind === 'mark') {
					const current = readMark(row.get(markKey(w.periodId)), scaleOf(shape)).cell;
					if (current === w.value) continue;
					setItemMark(this.doc, itemId, w.periodId, w.value, this.user.name, ORIGIN.local, shape);
					recordChange(this.doc, itemId, markKey(w.periodId), this.user.name);
				} else {
					if (stringList(row.get('departments')).join('\n') === w.value.join('\n')) continue;
					setDepartments(this.doc, itemId, w.value);
					recordChange(this.doc, itemId, 'departments', this.user.name);
				}
			}
		}, ORIGIN.local);
		um.stopCapturing();
		return ids;
	}

	/** A new, empty item at the end of a section, numbered after the others. */
	addItem(sectionId: string): string | null {
		if (this.readonly) return null;
		const section = this.structure.pillars
			.flatMap((p) => p.sections)
			.find((x) => x.id === sectionId);
		if (!section) return null;
		const last = section.items[section.items.length - 1];
		const id = insertItem(this.doc, sectionId, last?.id ?? null, this.user.name);
		const row = roots(this.doc).items.get(id);
		this.doc.transact(() => row?.set('no', itemNumber(section.items.length + 1)), ORIGIN.local);
		return id;
	}

	/** A heading under a pillar; with `under` (a level-2 section), a level-3 heading in it. */
	addSection(pillarId: string, under?: string): void {
		if (!this.readonly) insertSection(this.doc, pillarId, undefined, under);
	}

	/**
	 * A new item at the end of a heading of a one-level table: in the pillar's last section (its
	 * only one, made with the pillar), made now if it has none.
	 */
	addItemUnder(pillarId: string): string | null {
		if (this.readonly) return null;
		const pillar = this.structure.pillars.find((p) => p.id === pillarId);
		if (!pillar) return null;
		const last = pillar.sections.at(-1);
		return this.addItem(last ? last.id : insertSection(this.doc, pillarId));
	}

	/** A new pillar; in a one-level table with its section, as its items need one. */
	addPillar(): void {
		if (this.readonly) return;
		const id = insertPillar(this.doc);
		if (this.shape.current.shape.levelLabels.length === 1) insertSection(this.doc, id);
	}

	/**
	 * Moves an item one place up or down (Alt+↑ / Alt+↓): past its neighbour in its section, or
	 * at the section's edge to the end or start of the section before or after it. Its number
	 * stays. One undo step; two people moving at once never duplicate a row (it has one order key).
	 */
	moveItemBy(itemId: string, step: -1 | 1): boolean {
		if (this.readonly) return false;
		return this.ownStep(() => this.moveItemOnce(itemId, step));
	}

	private moveItemOnce(itemId: string, step: -1 | 1): boolean {
		const sections = this.structure.pillars.flatMap((p) => p.sections);
		const s = sections.findIndex((section) => section.items.some((i) => i.id === itemId));
		if (s < 0) return false;
		const items = sections[s]!.items.filter((i) => i.id !== itemId);
		const at = sections[s]!.items.findIndex((i) => i.id === itemId) + step;
		if (at >= 0 && at <= items.length) {
			const before = items[at - 1]?.id ?? null;
			const after = items[at]?.id ?? null;
			moveItem(this.doc, itemId, sections[s]!.id, before, after);
			return true;
		}
		const next = sections[s + step];
		if (!next) return false;
		const edge = step < 0 ? (next.items.at(-1)?.id ?? null) : null;
		const first = step < 0 ? null : (next.items[0]?.id ?? null);
		moveItem(this.doc, itemId, next.id, edge, first);
		return true;
	}

	/** Runs a structure change as an undo step of its own (not merged with a keystroke before it). */
	private ownStep<T>(change: () => T): T {
		this.undoManager.stopCapturing();
		const result = change();
		this.undoManager.stopCapturing();
		return result;
	}

	/**
	 * A new, empty item just above or below another, in its section, numbered after the section's
	 * last (numbers are never changed behind anyone's back). Returns its id.
	 */
	insertItemNear(itemId: string, where: 'above' | 'below'): string | null {
		if (this.readonly) return null;
		const section = this.sectionOf(itemId);
		if (!section) return null;
		const at = section.items.findIndex((i) => i.id === itemId);
		const after = where === 'below' ? itemId : (section.items[at - 1]?.id ?? null);
		return this.ownStep(() => {
			let id = '';
			this.doc.transact(() => {
				id = insertItem(this.doc, section.id, after, this.user.name);
				roots(this.doc)
					.items.get(id)
					?.set('no', itemNumber(section.items.length + 1));
			}, ORIGIN.local);
			return id;
		});
	}

	/** Moves an item to the end of another section (the row menu's 「移動先」). */
	moveItemTo(itemId: string, sectionId: string): boolean {
		if (this.readonly) return false;
		const target = this.structure.pillars
			.flatMap((p) => p.sections)
			.find((s) => s.id === sectionId);
		if (!target || target.items.some((i) => i.id === itemId)) return false;
		const last = target.items.at(-1)?.id ?? null;
		this.ownStep(() => moveItem(this.doc, itemId, sectionId, last, null));
		return true;
	}

	/** A drop on another item: the item moves just before or after it, into its section. */
	moveItemNear(itemId: string, targetId: string, where: 'before' | 'after'): boolean {
		const section = this.sectionOf(targetId);
		if (this.readonly || !section || itemId === targetId) return false;
		const items = section.items.filter((i) => i.id !== itemId);
		const at = items.findIndex((i) => i.id === targetId) + (where === 'after' ? 1 : 0);
		this.ownStep(() =>
			moveItem(this.doc, itemId, section.id, items[at - 1]?.id ?? null, items[at]?.id ?? null)
		);
		return true;
	}

	/** A drop on a heading: the item goes first under it. */
	moveItemFirst(itemId: string, sectionId: string): boolean {
		const section = this.structure.pillars
			.flatMap((p) => p.sections)
			.find((s) => s.id === sectionId);
		if (this.readonly || !section) return false;
		const first = section.items.find((i) => i.id !== itemId)?.id ?? null;
		this.ownStep(() => moveItem(this.doc, itemId, sectionId, null, first));
		return true;
	}

	private sectionOf(itemId: string) {
		return this.structure.pillars
			.flatMap((p) => p.sections)
			.find((s) => s.items.some((i) => i.id === itemId));
	}

	/** How many items a heading holds (those of its level-3 headings too): what deleting it takes. */
	headingItemCount(kind: HeadingKind, id: string): number {
		return headingContents(this.structure, kind, id).items.length;
	}

	/** Deletes a heading with what it holds, as one undo step (see heading-ops.ts). */
	deleteHeading(kind: HeadingKind, id: string): void {
		if (this.readonly) return;
		const items = headingContents(this.structure, kind, id).items;
		this.ownStep(() => deleteHeading(this.doc, kind, id));
		if (this.commentsFor && items.includes(this.commentsFor)) this.commentsFor = null;
	}

	/** A heading dropped on another: just before or after it, with what it holds (heading-ops.ts). */
	moveHeadingTo(
		kind: HeadingKind,
		id: string,
		target: { kind: HeadingKind; id: string },
		where: 'before' | 'after'
	): boolean {
		if (this.readonly) return false;
		return this.ownStep(() => moveHeadingTo(this.doc, kind, id, target, where));
	}

	/** Alt+↑ / Alt+↓ on a heading: it moves one place with what it holds (heading-ops.ts). */
	moveHeadingBy(kind: HeadingKind, id: string, step: -1 | 1): boolean {
		if (this.readonly) return false;
		return this.ownStep(() => moveHeadingBy(this.doc, kind, id, step));
	}

	deleteItem(itemId: string): void {
		if (this.readonly) return;
		this.ownStep(() => deleteItem(this.doc, itemId)); // the imported op, not this method
		if (this.commentsFor === itemId) this.commentsFor = null;
	}

	/**
	 * Makes the whole table equal a snapshot, as a new change that syncs and can be undone. The
	 * shape comes back too for an admin; others may not change it (表の設定), and their restore
	 * keeps the table's periods and marks. Returns whether the snapshot's shape is back. (The
	 * restore's code is loaded when first used: only the history page needs it.)
	 */
	async restoreAll(sheet: SheetJSON): Promise<{ shape: boolean }> {
		if (this.readonly) return { shape: false };
		const { restoreSheet } = await import('../doc/restore.ts');
		return restoreSheet(this.doc, sheet, this.user.name, ORIGIN.restore, {
			shape: this.user.role === 'admin'
		});
	}

	async restoreItem(sheet: SheetJSON, itemId: string): Promise<boolean> {
		if (this.readonly) return false;
		const { restoreItemFrom } = await import('../doc/restore.ts');
		return restoreItemFrom(this.doc, sheet, itemId, this.user.name);
	}

	/** Whether this user may write comments: everyone, as long as the doc is not a newer one's. */
	get canComment(): boolean {
		return this.compatible;
	}

	/**
	 * Writes a comment into an item's thread, reopening it if it was resolved. An editor's goes
	 * into the doc, offline too, and syncs like any edit; a viewer's socket is read-only, so the
	 * server writes it (online only). Resolves with null once written, or why it was not.
	 */
	async addComment(itemId: string, text: string): Promise<CommentRefusal | null> {
		const body = text.trim();
		if (!this.canComment || !body) return null;
		if (this.user.role === 'viewer') return postComment(this.docId, itemId, body);
		addComment(this.doc, itemId, this.user.name, body);
		return null;
	}

	/** Resolves or reopens an item's whole thread (editors and admins). */
	setThreadResolved(itemId: string, resolved: boolean): void {
		if (this.readonly) return;
		setThreadResolved(this.doc, itemId, resolved, this.user.name);
	}

	setKpi(kpiId: string, field: KpiField, value: number | null): void {
		if (this.readonly) return;
		setKpiValue(this.doc, kpiId, field, value);
	}

	setKpiYear(
		kpiId: string,
		yearKey: string,
		field: 'target' | 'actual',
		value: number | null
	): void {
		if (this.readonly) return;
		setKpiYearValue(this.doc, kpiId, yearKey, field, value);
	}

	/** Ctrl/⌘+Z undoes, with Shift or Ctrl/⌘+Y redoes; returns whether the key was handled. */
	undoKey(e: KeyboardEvent): boolean {
		if (!(e.ctrlKey || e.metaKey)) return false;
		const key = e.key.toLowerCase();
		if (key !== 'z' && key !== 'y') return false;
		e.preventDefault();
		if (key === 'z' && !e.shiftKey) this.undo();
		else this.redo();
		return true;
	}

	/**
	 * Where a cell's edit begins: the user's next change starts an undo step of its own, and
	 * `cancelTo` with this point takes back everything they change after it.
	 */
	editPoint(): number {
		this.undoManager.stopCapturing();
		return this.undoManager.undoStack.length;
	}

	/**
	 * Escape in a cell: undoes the user's own changes since `point` (others' edits meanwhile stay),
	 * and forgets them, so Ctrl+Y does not bring a cancelled edit back.
	 */
	cancelTo(point: number): void {
		const um = this.undoManager;
		// Only the steps above the point are undone: Yjs's undo() skips a step that changes nothing
		// and would then take back the one below it, an edit already committed elsewhere.
		const below = um.undoStack.splice(0, point);
		const redoDepth = um.redoStack.length;
		while (um.undoStack.length > 0) um.undo();
		um.undoStack.unshift(...below);
		um.redoStack.splice(redoDepth);
		um.stopCapturing();
	}

	undo(): void {
		this.undoManager.undo();
	}

	redo(): void {
		this.undoManager.redo();
	}

	destroy(): void {
		this.presence.destroy();
		this.undoManager.destroy();
		this.session.destroy();
	}
}

const VISIT_PREFIX = 'shinko:visit:';

/** Returns the previous visit's time and records this one. */
function rememberVisit(docId: string): number | null {
	try {
		const previous = Number(localStorage.getItem(VISIT_PREFIX + docId)) || null;
		localStorage.setItem(VISIT_PREFIX + docId, String(serverNow()));
		return previous;
	} catch {
		return null;
	}
}
