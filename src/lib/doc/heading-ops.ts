// Moving and deleting headings (pillars and sections) with what they hold. A heading moves with
// its own level-3 headings and items; deleting one deletes them too, in one transaction, so one
// undo brings it all back. Only the moved rows get new order keys: two people moving at once
// leave every row once, in one of the orders they chose.
import type * as Y from 'yjs';
import { ORIGIN, type Origin } from './origins.ts';
import { keysBetween } from './order.ts';
import { readOutline, roots, type Outline, type OutlineSection } from './table-doc.ts';

export type HeadingKind = 'pillar' | 'section';

/** A level-2 section and the level-3 sections under it (a level-3 one alone). */
function groupOf(sections: OutlineSection[], at: number): OutlineSection[] {
	const group = [sections[at]!];
	if (sections[at]!.level === 2)
		for (let i = at + 1; sections[i]?.level === 3; i++) group.push(sections[i]!);
	return group;
}

/** What deleting a heading takes with it: the sections under it (itself too) and their items. */
export function headingContents(
	outline: Outline,
	kind: HeadingKind,
	id: string
): { sections: string[]; items: string[] } {
	let sections: OutlineSection[] = [];
	if (kind === 'pillar') sections = outline.pillars.find((p) => p.id === id)?.sections ?? [];
	else
		for (const pillar of outline.pillars) {
			const at = pillar.sections.findIndex((s) => s.id === id);
			if (at >= 0) sections = groupOf(pillar.sections, at);
		}
	return {
		sections: sections.map((s) => s.id),
		items: sections.flatMap((s) => s.items.map((i) => i.id))
	};
}

/** Deletes a heading with its sections and items; returns how many items went. */
export function deleteHeading(
	doc: Y.Doc,
	kind: HeadingKind,
	id: string,
	origin: Origin = ORIGIN.local
): number {
	const { sections, items } = headingContents(readOutline(doc), kind, id);
	const r = roots(doc);
	doc.transact(() => {
		for (const item of items) r.items.delete(item);
		for (const section of sections) r.sections.delete(section);
		if (kind === 'pillar') r.pillars.delete(id);
	}, origin);
	return items.length;
}

/**
 * Moves a heading one place up or down among its peers: a pillar among the pillars; a level-2
 * section (with its level-3 sections) among its pillar's, or at the pillar's edge to the end or
 * start of the pillar before or after it; a level-3 section among those of its level-2 section.
 * Returns whether it moved.
 */
export function moveHeadingBy(
	doc: Y.Doc,
	kind: HeadingKind,
	id: string,
	step: -1 | 1,
	origin: Origin = ORIGIN.local
): boolean {
	const outline = readOutline(doc);
	const r = roots(doc);
	if (kind === 'pillar') {
		const pillars = outline.pillars;
		const at = pillars.findIndex((p) => p.id === id);
		const past = pillars[at + step];
		if (at < 0 || !past) return false;
		const [before, after] =
			step < 0
				? [pillars[at - 2]?.order ?? null, past.order]
				: [past.order, pillars[at + 2]?.order ?? null];
		const [key] = keysBetween(before, after, 1);
		doc.transact(() => r.pillars.get(id)?.set('order', key!), origin);
		return true;
	}
	const p = outline.pillars.findIndex((pillar) => pillar.sections.some((s) => s.id === id));
	if (p < 0) return false;
	const sections = outline.pillars[p]!.sections;
	const at = sections.findIndex((s) => s.id === id);
	const moving = groupOf(sections, at);
	const level = moving[0]!.level;
	// Its peers' groups in order: the level-2 sections of the pillar, or the level-3 ones of its parent.
	const peers: OutlineSection[][] = [];
	for (let i = 0; i < sections.length; i++) {
		if (sections[i]!.level !== level) continue;
		if (level === 3 && sections[i]!.row.get('parent') !== moving[0]!.row.get('parent')) continue;
		peers.push(groupOf(sections, i));
	}
	const g = peers.findIndex((group) => group[0]!.id === id);
	const keys = (group: OutlineSection[] | undefined) => group?.map((s) => s.order) ?? [];
	const max = (group: OutlineSection[] | undefined) => keys(group).sort().at(-1) ?? null;
	const min = (group: OutlineSection[] | undefined) => keys(group).sort()[0] ?? null;
	let pillarId: string | null = null;
	let before: string | null;
	let after: string | null;
	if (peers[g + step]) {
		[before, after] =
			step < 0
				? [
						max(peers[g - 2]) ?? (level === 3 ? parentKey(sections, moving[0]!) : null),
						min(peers[g - 1])
					]
				: [
						max(peers[g + 1]),
						min(peers[g + 2]) ?? (level === 3 ? nextKey(sections, peers[g + 1]!) : null)
					];
	} else {
		// At the edge: a level-2 section goes on to the next pillar; a level-3 one stays.
		const next = outline.pillars[p + step];
		if (level === 3 || !next) return false;
		pillarId = next.id;
		const there = next.sections;
		[before, after] = step < 0 ? [max(there), null] : [null, min(there)];
	}
	const fresh = keysBetween(before, after, moving.length);
	doc.transact(() => {
		moving.forEach((s, i) => {
			const row = r.sections.get(s.id);
			row?.set('order', fresh[i]!);
			if (pillarId) row?.set('pillarId', pillarId);
		});
	}, origin);
	return true;
}

/** A level-3 section's parent's key: the lower bound of the first place under it. */
function parentKey(sections: OutlineSection[], section: OutlineSection): string | null {
	return sections.find((s) => s.id === section.row.get('parent'))?.order ?? null;
}

/** The key of the section after a group, if any: the upper bound of the last place in it. */
function nextKey(sections: OutlineSection[], group: OutlineSection[]): string | null {
	const last = sections.findIndex((s) => s.id === group.at(-1)!.id);
	return sections[last + 1]?.order ?? null;
}

/**
 * A heading dropped on another (a drag by its ⋯ handle): it goes just before or after it, with what
 * it holds. A pillar among the pillars; a level-2 section before or after another level-2 section
 * (of any pillar), or first in a pillar dropped on; a level-3 section before or after another
 * level-3 section (it takes that one's level-2 section), or first under a level-2 section dropped
 * on. Returns whether it moved.
 */
export function moveHeadingTo(
	doc: Y.Doc,
	kind: HeadingKind,
	id: string,
	target: { kind: HeadingKind; id: string },
	where: 'before' | 'after',
	origin: Origin = ORIGIN.local
): boolean {
	if (target.id === id) return false;
	const outline = readOutline(doc);
	const r = roots(doc);
	if (kind === 'pillar') {
		if (target.kind !== 'pillar') return false;
		const others = outline.pillars.filter((p) => p.id !== id);
		const at = others.findIndex((p) => p.id === target.id);
		if (at < 0) return false;
		const [before, after] =
			where === 'before'
				? [others[at - 1]?.order ?? null, others[at]!.order]
				: [others[at]!.order, others[at + 1]?.order ?? null];
		doc.transact(() => r.pillars.get(id)?.set('order', keysBetween(before, after, 1)[0]!), origin);
		return true;
	}
	const pillarOf = (sectionId: string) =>
		outline.pillars.find((p) => p.sections.some((s) => s.id === sectionId));
	const home = pillarOf(id);
	if (!home) return false;
	const moving = groupOf(
		home.sections,
		home.sections.findIndex((s) => s.id === id)
	);
	const level = moving[0]!.level;
	let pillar: (typeof outline.pillars)[number] | undefined;
	let before: string | null = null;
	let after: string | null = null;
	let parent: string | null = null;
	const keys = (group: OutlineSection[]) => group.map((s) => s.order).sort();
	if (target.kind === 'pillar') {
		// First in the pillar (a level-2 section only).
		pillar = outline.pillars.find((p) => p.id === target.id);
		if (!pillar || level !== 2) return false;
		after = pillar.sections.filter((s) => !moving.includes(s))[0]?.order ?? null;
	} else {
		pillar = pillarOf(target.id);
		if (!pillar) return false;
		const sections = pillar.sections.filter((s) => !moving.some((m) => m.id === s.id));
		const at = sections.findIndex((s) => s.id === target.id);
		if (at < 0) return false;
		const onto = sections[at]!;
		if (level === 3 && onto.level === 2) {
			// First under that level-2 section.
			parent = onto.id;
			before = onto.order;
			after = sections[at + 1]?.order ?? null;
		} else if (level !== onto.level) return false;
		else {
			if (level === 3) parent = String(onto.row.get('parent') ?? '') || null;
			const group = groupOf(sections, at);
			if (where === 'before') {
				after = keys(group)[0]!;
				before = sections[at - 1]?.order ?? null;
				if (level === 2) {
					// Past the whole group before it, its level-3 sections included.
					let p = at - 1;
					while (p >= 0 && sections[p]!.level === 3) p--;
					before = p >= 0 ? (keys(groupOf(sections, p)).at(-1) ?? null) : null;
				}
			} else {
				before = keys(group).at(-1)!;
				after = sections[at + group.length]?.order ?? null;
			}
		}
	}
	const fresh = keysBetween(before, after, moving.length);
	const pillarId = pillar.id;
	doc.transact(() => {
		moving.forEach((s, i) => {
			const row = r.sections.get(s.id);
			row?.set('order', fresh[i]!);
			row?.set('pillarId', pillarId);
		});
		if (level === 3 && parent) r.sections.get(id)?.set('parent', parent);
	}, origin);
	return true;
}
