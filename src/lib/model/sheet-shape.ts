// The table's shape as SheetJSON carries it (periodLabels, markScale, departments, levelLabels,
// columnLabels, extraColumns), both ways; version 1 sheets brought up to version 2; and the checks
// a sheet must pass beyond its schema (its items fit its shape), each naming the cell.
import { newId } from '../doc/ids.ts';
import { cellMarks } from './item-fields.ts';
import type { ItemJSON, SectionJSON, SheetJSON, SheetV1JSON } from './schema.ts';
import { DEPARTMENTS, SCHEMA_VERSION } from './sheet-constants.ts';
import {
	REFERENCE_MARKS,
	REFERENCE_SHAPE,
	STANDARD_COLUMN_DEFS,
	STANDARD_COLUMNS,
	LIMITS,
	shapeProblems,
	type ColumnDef,
	type DepartmentDef,
	type MarkDef,
	type PeriodDef,
	type StandardColumn,
	type TableShape
} from './shape.ts';

type ShapeFields = Pick<
	SheetJSON,
	'levelLabels' | 'periodLabels' | 'markScale' | 'departments' | 'columnLabels' | 'extraColumns'
>;

/** The shape's fields of a SheetJSON; marks taken off the scale go along as `removed`. */
export function sheetShapeFields(shape: TableShape, removedMarks: MarkDef[] = []): ShapeFields {
	const columnLabels: SheetJSON['columnLabels'] = {};
	for (const c of shape.columns)
		if (isStandard(c.key) && c.label !== '') columnLabels[c.key] = c.label;
	return {
		levelLabels: [...shape.levelLabels],
		periodLabels: shape.periods.map((p) => p.label),
		markScale: [
			...shape.marks.map(({ mark, label, tone, key }) => ({ mark, label, tone, key })),
			...removedMarks.map(({ mark, label, tone, key }) => ({
				mark,
				label,
				tone,
				key,
				removed: true
			}))
		],
		departments: shape.departments.map((d) => d.name),
		columnLabels,
		extraColumns: shape.columns
			.filter((c) => !isStandard(c.key))
			.map(({ key, label }) => ({ key, label }))
	};
}

function isStandard(key: string): key is StandardColumn {
	return (STANDARD_COLUMNS as readonly string[]).includes(key);
}

/** Ids the shape of `base` already uses, and unused ones for new entries. */
function idSource(base: TableShape | null, removed: { id: string }[]) {
	const used = new Set(
		[
			...(base?.periods ?? []),
			...(base?.marks ?? []),
			...(base?.departments ?? []),
			...removed
		].map((x) => x.id)
	);
	return (prefix: string, preferred?: string): string => {
		if (preferred !== undefined && !used.has(preferred)) {
			used.add(preferred);
			return preferred;
		}
		let id: string;
		do id = prefix + newId(6);
		while (used.has(id));
		used.add(id);
		return id;
	};
}

/**
 * The shape a sheet describes. With `base` (the shape of the table it goes into), entries keep
 * their ids where they match: periods by position, marks by their text, departments by name,
 * columns by key; so the items' values stay under the same keys. Without it, periods are 1 … n
 * (the reference table's quarters are 1 to 4) and marks m0 … (the reference marks' ids).
 */
export function shapeOfSheet(
	sheet: ShapeFields,
	base: TableShape | null = null,
	baseRemoved: { periods: PeriodDef[]; marks: MarkDef[]; departments: DepartmentDef[] } = {
		periods: [],
		marks: [],
		departments: []
	}
): { shape: TableShape; removedMarks: MarkDef[] } {
	const id = idSource(base, [
		...baseRemoved.periods,
		...baseRemoved.marks,
		...baseRemoved.departments
	]);
	// A period keeps the id of one of the same name (a period taken off and restored gets its
	// values back), else of the one at its place, else gets a new one.
	const taken = new Set<string>();
	const known = [...(base?.periods ?? []), ...baseRemoved.periods] as PeriodDef[];
	const byName = sheet.periodLabels.map((label) => {
		const match = known.find((p) => p.label === label && !taken.has(p.id));
		if (match) taken.add(match.id);
		return match?.id;
	});
	const periods = sheet.periodLabels.map((label, i) => {
		let periodId = byName[i];
		if (periodId === undefined) {
			const atPlace = base?.periods[i]?.id;
			periodId =
				atPlace !== undefined && !taken.has(atPlace)
					? atPlace
					: id('p', base ? undefined : String(i + 1));
			taken.add(periodId);
		}
		return { id: periodId, label };
	});
	const knownMarks = [...(base?.marks ?? []), ...baseRemoved.marks];
	const toMark = (m: SheetJSON['markScale'][number], i: number): MarkDef => ({
		id:
			knownMarks.find((k) => k.mark === m.mark)?.id ??
			id('m', base ? undefined : (REFERENCE_MARKS.find((r) => r.mark === m.mark)?.id ?? `m${i}`)),
		mark: m.mark,
		label: m.label,
		tone: m.tone,
		key: m.key
	});
	const marks = sheet.markScale.map(toMark);
	const knownDepartments = [...(base?.departments ?? []), ...baseRemoved.departments];
	const departments = sheet.departments.map((name, i) => ({
		id: knownDepartments.find((d) => d.name === name)?.id ?? id('d', base ? undefined : `d${i}`),
		name
	}));
	const columns: ColumnDef[] = [
		...STANDARD_COLUMN_DEFS.map((c) => ({
			key: c.key,
			label: sheet.columnLabels[c.key as StandardColumn] ?? ''
		})),
		...sheet.extraColumns.map(({ key, label }) => ({ key, label }))
	];
	const live = marks.filter((_, i) => !sheet.markScale[i]!.removed);
	return {
		shape: { levelLabels: [...sheet.levelLabels], periods, marks: live, departments, columns },
		removedMarks: marks.filter((_, i) => sheet.markScale[i]!.removed)
	};
}

/**
 * A table's department list with the departments its items name added (an older backup had no
 * list): by their trimmed name, none twice, as many as a list may hold. Items keep their names.
 */
export function withItemDepartments(
	list: string[],
	sheet: { pillars: { sections: { items: { departments: string[] }[] }[] }[] }
): string[] {
	const out = [...list];
	const seen = new Set(list.map((d) => d.trim()));
	for (const p of sheet.pillars)
		for (const s of p.sections)
			for (const i of s.items)
				for (const d of i.departments) {
					const name = d.trim();
					if (name === '' || seen.has(name) || out.length >= LIMITS.departments) continue;
					if ([...name].length > LIMITS.label) continue;
					seen.add(name);
					out.push(name);
				}
	return out;
}

/** A version 1 sheet as version 2: its four quarters, ○ ◎ △ × —, and its departments. */
export function upgradeSheetV1(v1: SheetV1JSON): SheetJSON {
	const departments = withItemDepartments([...DEPARTMENTS], v1);
	const { quarterLabels, ...rest } = v1;
	return {
		...rest,
		schemaVersion: SCHEMA_VERSION,
		...sheetShapeFields({
			...REFERENCE_SHAPE,
			periods: REFERENCE_SHAPE.periods.map((p, i) => ({ ...p, label: quarterLabels[i]! })),
			departments: departments.map((name, i) => ({ id: `d${i}`, name }))
		}),
		pillars: v1.pillars.map((p) => ({
			...p,
			sections: p.sections.map((s) => ({
				...s,
				items: s.items.map((i) => ({ ...i, plans: [...i.plans], marks: [...i.marks], extra: {} }))
			}))
		}))
	};
}

export interface SheetProblem {
	/** Where, as a JavaScript reader writes it: pillars[0].sections[1].items[2].marks[3]. */
	path: string;
	/** In Japanese, naming the cell by its item and column. */
	message: string;
}

/**
 * What makes a sheet that passed its schema unusable: a shape that cannot work, or items that do
 * not fit it (a plan or a mark too many or too few, a mark not in the scale, a text under a column
 * the table does not have). [] when it can be stored.
 */
export function sheetProblems(sheet: SheetJSON, limit = 20): SheetProblem[] {
	const out: SheetProblem[] = [];
	const { shape } = shapeOfSheet(sheet);
	for (const message of shapeProblems(shape)) out.push({ path: '', message });
	const scale = new Set(sheet.markScale.map((m) => m.mark));
	const columns = new Set(sheet.extraColumns.map((c) => c.key));
	const n = sheet.periodLabels.length;
	sheet.pillars.forEach((p, pi) =>
		p.sections.forEach((s, si) =>
			s.items.forEach((item, ii) => {
				if (out.length >= limit) return;
				const at = `pillars[${pi}].sections[${si}].items[${ii}]`;
				const name = itemName(item);
				if (item.plans.length !== n)
					out.push({
						path: `${at}.plans`,
						message: `${name}: 期間ごとの計画が${item.plans.length}つあります。期間は${n}つです（${sheet.periodLabels.join('・')}）。`
					});
				if (item.marks.length !== n)
					out.push({
						path: `${at}.marks`,
						message: `${name}: 期間ごとの評価が${item.marks.length}つあります。期間は${n}つです（${sheet.periodLabels.join('・')}）。`
					});
				item.marks.forEach((cell, mi) => {
					for (const mark of cellMarks(cell))
						if (!scale.has(mark))
							out.push({
								path: `${at}.marks[${mi}]`,
								message: `${name}の「${sheet.periodLabels[mi] ?? `期間${mi + 1}`}」の評価「${mark}」は評価の記号（${sheet.markScale.map((m) => m.mark).join(' ')}）にありません。`
							});
				});
				for (const key of Object.keys(item.extra))
					if (!columns.has(key))
						out.push({
							path: `${at}.extra.${key}`,
							message: `${name}の列「${key}」は表の列（extraColumns）にありません。`
						});
			})
		)
	);
	return out.slice(0, limit);
}

function itemName(item: ItemJSON): string {
	const title = item.title.split('\n')[0]!.slice(0, 20);
	return `項目「${item.no}${title}」`;
}

/** A section drawn as a level-3 heading: one marked so, in a table of three levels. */
export function isSubSection(
	sheet: Pick<SheetJSON, 'levelLabels'>,
	section: Pick<SectionJSON, 'level'>
): boolean {
	return sheet.levelLabels.length === 3 && section.level === 3;
}

/**
 * The level-2 section a level-3 section of a sheet sits under: the nearest one before it in its
 * pillar (null for a level-3 section that comes first).
 */
export function parentIn(sections: readonly SectionJSON[], index: number): string | null {
	for (let i = index - 1; i >= 0; i--) if (sections[i]!.level !== 3) return sections[i]!.id;
	return null;
}
