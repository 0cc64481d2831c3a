// Turning the rows read from an office's file into the table's headings and items: heading levels
// from how the headings number themselves, the departments from the 担当課 column, the added
// columns from the columns no standard role took, marks through the table's scale.
import { markOf } from '../../model/marks.ts';
import type { ItemJSON, PillarJSON, SectionJSON } from '../../model/schema.ts';
import { LIMITS } from '../../model/shape.ts';
import { MAX_ITEMS } from '../limits.ts';
import { squash, tidy } from './grid.ts';
import type { ImportMapping } from './mapping.ts';
import { excerpt, type Entry, type RawItem, type Warning } from './rows.ts';
import { splitItemTitle, type HeadingStyle } from './words.ts';

export interface Assembled {
	pillars: PillarJSON[];
	departments: string[];
	extraColumns: { key: string; label: string }[];
	/** Heading levels found (1 to 3). */
	levels: number;
	warnings: Warning[];
}

// Names of a department end so; a ・ inside such a name (子ども・子育て支援課) is part of it.
const DEPARTMENT_END = /(課|室|係|部|局|所|センター|事務所|課長|グループ|班)$/;

/** Splits a 担当課 cell: 総務・事業, 総務 事業, 総務\n事業, and 総務事業 where both are known. */
export function splitDepartments(text: string, known: readonly string[] = []): string[] {
	const out: string[] = [];
	for (const word of text.split(/[\s、,，/／]+/).filter(Boolean)) {
		const dotted = word.split('・').filter(Boolean);
		const ends = dotted.map((part) => DEPARTMENT_END.test(part));
		const parts = ends.some(Boolean) && !ends.every(Boolean) ? [word] : dotted;
		for (const part of parts)
			for (const name of runTogether(part, known) ?? [part])
				if (!out.includes(name)) out.push(name);
	}
	return out;
}

/** A word made wholly of two or more known names (a PDF runs them together), or null. */
function runTogether(word: string, known: readonly string[]): string[] | null {
	if ([...word].length > 32) return null;
	let budget = 2_000;
	const split = (rest: string, depth: number): string[] | null => {
		if (rest === '') return [];
		if (depth > 4 || --budget < 0) return null;
		for (const k of known) {
			if (k === word || !rest.startsWith(k)) continue;
			const tail = split(rest.slice(k.length), depth + 1);
			if (tail) return [k, ...tail];
		}
		return null;
	};
	const parts = split(word, 0);
	return parts && parts.length > 1 ? parts : null;
}

export function assemble(
	entries: Entry[],
	mapping: ImportMapping,
	fallbackTitle: string,
	/** Names the standard columns already go by: an added column is named apart from them. */
	standardLabels: string[] = []
): Assembled {
	const warnings: Warning[] = [];
	const col = (role: string) => mapping.columns.find((c) => c.role === role)?.column;
	const extras = mapping.columns.filter((c) => c.role === 'extra').slice(0, LIMITS.extraColumns);
	for (const c of mapping.columns.filter((c) => c.role === 'extra').slice(LIMITS.extraColumns))
		warnings.push({
			where: `列 ${c.column}`,
			message: `追加の列は${LIMITS.extraColumns}列までです。列「${c.header}」は取り込みません。`
		});
	const extraColumns = uniqueLabels(
		extras.map((c) => c.header),
		standardLabels
	).map((label, i) => ({
		key: `xc${extras[i]!.column}`,
		label
	}));

	// Departments: names written alone first, so 総務事業 splits into names seen elsewhere.
	const deptColumn = col('department');
	const items = entries.filter((e): e is RawItem => e.kind === 'item');
	const alone = new Set<string>();
	for (const item of items)
		for (const name of splitDepartments(item.cells.get(deptColumn ?? -1) ?? '')) alone.add(name);
	const known = [...alone].sort((a, b) => b.length - a.length);
	const departments: string[] = [];

	// Levels follow the order in which the headings' numbering styles first appear.
	const styles: HeadingStyle[] = [];
	for (const e of entries)
		if (e.kind === 'heading' && !styles.includes(e.style) && styles.length < 3)
			styles.push(e.style);
	const levels = Math.max(1, styles.length);
	const levelOf = (style: HeadingStyle) => {
		const i = styles.indexOf(style);
		return i < 0 ? levels - 1 : i;
	};

	const pillars: PillarJSON[] = [];
	let pillar: PillarJSON | null = null;
	let section: SectionJSON | null = null;
	const newPillar = (no: string, title: string) => {
		pillar = { id: `p${pillars.length + 1}`, no, title, sections: [] };
		pillars.push(pillar);
		section = null;
		return pillar;
	};
	const newSection = (no: string, title: string, level?: 3) => {
		const p = pillar ?? newPillar('', fallbackTitle);
		section = { id: `${p.id}s${p.sections.length + 1}`, no, title, items: [] };
		if (level) section.level = level;
		p.sections.push(section);
		return section;
	};

	let count = 0;
	for (const entry of entries) {
		if (entry.kind === 'heading') {
			const level = levelOf(entry.style);
			if (level === 0) {
				newPillar(entry.no, entry.title);
				if (levels === 1) newSection('', '');
			} else if (level === 1) newSection(entry.no, entry.title);
			else newSection(entry.no, entry.title, 3);
			continue;
		}
		if (count === MAX_ITEMS) {
			warnings.push({
				where: entry.where,
				message: `取り組み項目は${MAX_ITEMS}個までです。ここから先は取り込みません。`
			});
			break;
		}
		const target: SectionJSON = section ?? newSection('', '');
		const item = toItem(entry, mapping, `${target.id}i${target.items.length + 1}`, warnings);
		const names = item.departments.flatMap((text) => splitDepartments(text, known));
		item.departments = names.filter((name) => {
			if ([...name].length > 32) {
				warnings.push({
					where: entry.where,
					message: `担当課「${excerpt(name)}」が長すぎます（32文字まで）。取り込みません。`
				});
				return false;
			}
			if (!departments.includes(name)) {
				if (departments.length === LIMITS.departments) {
					warnings.push({
						where: entry.where,
						message: `担当課は${LIMITS.departments}までです。「${name}」は取り込みません。`
					});
					return false;
				}
				departments.push(name);
			}
			return true;
		});
		if (item.departments.length > 16) {
			warnings.push({
				where: entry.where,
				message: `一つの項目の担当課は16までです。「${item.departments.slice(16).join('・')}」は取り込みません。`
			});
			item.departments = item.departments.slice(0, 16);
		}
		for (const [i, c] of extras.entries()) {
			const text = tidy(entry.cells.get(c.column) ?? '');
			if (text !== '') item.extra[extraColumns[i]!.key] = text;
		}
		target.items.push(item);
		count++;
	}
	if (styles.length === 0 && pillars.length > 0)
		warnings.push({
			where: items[0]?.where ?? '',
			message: `見出し（1 会員の増強、(1) 入会の促進 など）の行がないため、項目を「${fallbackTitle}」の下に置きました。`
		});
	return { pillars, departments, extraColumns, levels, warnings };
}

function toItem(entry: RawItem, mapping: ImportMapping, id: string, warnings: Warning[]): ItemJSON {
	const text = (role: string) => {
		const c = mapping.columns.find((c) => c.role === role);
		return c ? tidy(entry.cells.get(c.column) ?? '') : '';
	};
	const titled = splitItemTitle(text('title'));
	const scale = mapping.marks.map((m) => m.mark);
	// A cell's text is matched against the file's own mark (`from`), and stored as renamed.
	const fileScale = mapping.marks.map((m) => m.from ?? m.mark);
	const renamed = (found: string | null) =>
		found === null ? null : (mapping.marks[fileScale.indexOf(found)]?.mark ?? null);
	const plans = mapping.periods.map(() => '');
	for (const c of mapping.columns)
		if (c.role === 'plan' && c.period !== undefined && c.period < plans.length)
			plans[c.period] = tidy(entry.cells.get(c.column) ?? '');
	const marks = mapping.periods.map((label, p) => {
		const found = entry.marks.get(p);
		if (!found) return '';
		// Typed lower-case or full-width (ｃ for C) is still the mark.
		const mark = renamed(
			markOf(found.text, fileScale) ??
				markOf(squash(found.text), fileScale) ??
				markOf(squash(found.text).toUpperCase(), fileScale)
		);
		if (mark !== null) return mark;
		warnings.push({
			where: found.where,
			message: `「${label}」の評価「${excerpt(found.text)}」は評価の記号（${scale.join(' ')}）にないため、空欄にします。`
		});
		return '';
	});
	return {
		id,
		no: (text('no') || titled.no).slice(0, 16),
		title: titled.title,
		content: text('content'),
		departments: text('department') === '' ? [] : [text('department')],
		yearPlan: text('yearPlan'),
		plans,
		marks,
		note: text('note'),
		extra: {}
	};
}

/** Column labels as the table can hold them: short enough, each once. */
function uniqueLabels(labels: string[], taken: string[]): string[] {
	const out: string[] = [];
	const used = (label: string) => out.includes(label) || taken.includes(label);
	for (const raw of labels) {
		const base = [...raw.replace(/\s+/g, ' ').trim()].slice(0, LIMITS.label - 3).join('') || '列';
		let label = base;
		for (let n = 2; used(label); n++) label = `${base}${n}`;
		out.push(label);
	}
	return out;
}
