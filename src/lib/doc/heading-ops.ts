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
