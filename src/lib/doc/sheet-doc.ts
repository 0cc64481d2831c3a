// A table Y.Doc as the plain SheetJSON, and the rows a SheetJSON's items and KPIs become (writing
// a whole sheet into a new doc is sheet-to-doc.ts).
import * as Y from 'yjs';
import {
	blankItem,
	cellMarks,
	markCellOf,
	markFields,
	setTextIn,
	textFields,
	textIn
} from '../model/item-fields.ts';
import type { ItemJSON, KpiJSON, SheetJSON } from '../model/schema.ts';
import { SCHEMA_VERSION } from '../model/sheet-constants.ts';
import { sheetShapeFields } from '../model/sheet-shape.ts';
import { LIMITS, type MarkDef, type TableShape } from '../model/shape.ts';
import { readMark, writeMark } from './mark-register.ts';
import { readShape } from './shape-doc.ts';
import {
	numOrNull,
	readKpiYears,
	readKpis,
	readOutline,
	roots,
	scaleOf,
	str,
	stringList,
	textValue,
	type YRow
} from './table-doc.ts';

/** A new item row holding `item`, its plans and marks under the shape's periods. */
export function itemRow(
	item: ItemJSON,
	sectionId: string,
	order: string,
	by: string,
	shape: TableShape
): YRow {
	const row = new Y.Map<unknown>();
	row.set('sectionId', sectionId);
	row.set('order', order);
	row.set('no', item.no);
	row.set('departments', [...item.departments]);
	for (const field of textFields(shape)) row.set(field.key, new Y.Text(textIn(item, field)));
	const scale = scaleOf(shape);
	// Every mark cell gets its register now, empty or not: two people setting a mark in a cell
	// that has none would each create one, and one of the two marks would be lost instead of shown
	// as competing.
	for (const { key, period } of markFields(shape))
		writeMark(row, key, item.marks[period] ?? '', by, scale);
	return row;
}

export function kpiRow(kpi: KpiJSON, order: string): YRow {
	const row = new Y.Map<unknown>();
	row.set('order', order);
	row.set('name', kpi.name);
	row.set('unit', kpi.unit);
	row.set('baselineLabel', kpi.baseline.label);
	row.set('baseline', kpi.baseline.value);
	row.set('target', kpi.target);
	if (kpi.lowerIsBetter) row.set('lowerIsBetter', true);
	const years = new Y.Map<unknown>();
	for (const y of kpi.years) {
		const year = new Y.Map<unknown>();
		year.set('label', y.label);
		year.set('fiscalYear', y.fiscalYear);
		year.set('target', y.target);
		year.set('actual', y.actual);
		years.set(String(y.fiscalYear), year);
	}
	row.set('years', years);
	return row;
}

function readMeta(doc: Y.Doc) {
	const meta = roots(doc).meta;
	const fy = numOrNull(meta.get('fiscalYear'));
	return {
		title: typeof meta.get('title') === 'string' ? (meta.get('title') as string) : '',
		planName: typeof meta.get('planName') === 'string' ? (meta.get('planName') as string) : '',
		organisation:
			typeof meta.get('organisation') === 'string' ? (meta.get('organisation') as string) : '',
		fiscalYear: fy !== null && Number.isInteger(fy) ? fy : new Date().getFullYear()
	};
}

/** An item as plain JSON, its plans and marks those of the shape's periods. Never throws. */
export function itemToJSON(id: string, row: YRow, shape: TableShape): ItemJSON {
	const item = blankItem(id, shape, str(row, 'no'));
	item.departments = stringList(row.get('departments'));
	for (const field of textFields(shape)) {
		const value = textValue(row, field.key);
		// An added column's empty cell is left out, as an item made before the column has none.
		if (field.kind !== 'extra' || value !== '') setTextIn(item, field, value);
	}
	const scale = scaleOf(shape);
	for (const { key, period } of markFields(shape))
		item.marks[period] = readMark(row.get(key), scale).cell;
	return item;
}

/**
 * The marks cells hold that are not on the scale: as the shape had them when they were taken
 * off, or, for a value no scale ever had (written by a faulty client), as an unknown mark.
 */
function marksOutside(sheet: Pick<SheetJSON, 'pillars'>, shape: TableShape, removed: MarkDef[]) {
	const scale = new Set(scaleOf(shape));
	const found = new Set<string>();
	// As many as a scale with its removed marks may hold; a value past that (a faulty client
	// writing dozens of different junk values) is left out of the cells it is in.
	const room = LIMITS.scaleWithRemoved - scale.size;
	const items = sheet.pillars.flatMap((p) => p.sections.flatMap((s) => s.items));
	let overflow = false;
	for (const item of items)
		for (const cell of item.marks)
			for (const m of cellMarks(cell))
				if (!scale.has(m) && !found.has(m)) {
					if (found.size < room) found.add(m);
					else overflow = true;
				}
	// Cells are rewritten only in that rare case; a table read on every edit is not copied.
	if (overflow)
		for (const item of items)
			item.marks = item.marks.map((cell) =>
				markCellOf(cellMarks(cell).filter((m) => scale.has(m) || found.has(m)))
			);
	return [...found].map(
		(mark): MarkDef =>
			removed.find((r) => r.mark === mark) ?? {
				id: '',
				mark,
				label: '不明な評価',
				tone: 'na',
				key: ''
			}
	);
}

/** The doc as plain JSON. Never throws: bad values read as empty. Orphan rows are left out. */
export function docToSheet(doc: Y.Doc): SheetJSON {
	const outline = readOutline(doc);
	const { shape, removed } = readShape(doc);
	const content = {
		pillars: outline.pillars.map((p) => ({
			id: p.id,
			no: str(p.row, 'no'),
			title: textValue(p.row, 'title'),
			sections: p.sections.map((s) => ({
				id: s.id,
				no: str(s.row, 'no'),
				title: textValue(s.row, 'title'),
				...(s.level === 3 ? { level: 3 as const } : {}),
				items: s.items.map((i) => itemToJSON(i.id, i.row, shape))
			}))
		}))
	};
	return {
		schemaVersion: SCHEMA_VERSION,
		...readMeta(doc),
		...sheetShapeFields(shape, marksOutside(content, shape, removed.marks)),
		...content,
		kpis: readKpis(doc).map(({ id, row }) => ({
			id,
			name: str(row, 'name'),
			unit: str(row, 'unit'),
			baseline: { label: str(row, 'baselineLabel'), value: numOrNull(row.get('baseline')) },
			target: numOrNull(row.get('target')),
			years: readKpiYears(row).map(({ label, fiscalYear, target, actual }) => ({
				label,
				fiscalYear,
				target,
				actual
			})),
			...(row.get('lowerIsBetter') === true ? { lowerIsBetter: true } : {})
		}))
	};
}
