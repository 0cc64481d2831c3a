// Reads the very hidden _shinko sheet that sheetToXlsx writes: meta, the table's shape, the ids
// and numbers of every pillar, section and item in document order, and the KPIs with their exact
// numbers. A format 1 file (four quarters, ○ ◎ △ × —) reads as the version 1 sheet it was.
import type ExcelJS from 'exceljs';
import {
	DATA_KEYS,
	FORMAT_MARKER,
	FORMAT_VERSION,
	REMOVED_MARK,
	SECTION_NO_ROW,
	SHEET_DATA,
	cellAddress
} from '../export/xlsx-layout.ts';
import type { KpiJSON } from '../model/schema.ts';
import { STANDARD_COLUMNS } from '../model/shape.ts';
import { MAX_ITEMS, TOO_MANY_ITEMS } from './limits.ts';
import { XlsxImportError, cellNumber, cellText } from './xlsx-cells.ts';

export type ItemRef = { id: string; no: string };
/** `level` 3: a level-3 heading; `noRow`: the table sheet has no heading row for it. */
export type SectionRef = ItemRef & { level?: 3; noRow?: true; items: ItemRef[] };
export type PillarRef = ItemRef & { sections: SectionRef[] };
/**
 * Everything but the outline and the KPIs, loosely typed: a format 1 file gives a version 1
 * sheet's meta (quarterLabels), a format 2 file the shape's fields. The schema checks it after.
 */
export type Meta = Record<string, unknown>;

export type DataSheet = {
	/** The file's format (FORMAT_VERSION when written): it says how the KPI sheet is laid out. */
	version: number;
	meta: Meta;
	pillars: PillarRef[];
	kpis: KpiJSON[];
	/** The _shinko cell each value came from (path such as kpis.0.target → G12), for errors. */
	cells: Map<string, string>;
};

// Columns B… of a kpi and a kpiYear row, as paths inside the KPI.
const KPI_FIELDS = ['id', 'name', 'unit', 'baseline.label', 'baseline.value', 'target'];
const YEAR_FIELDS = ['label', 'fiscalYear', 'target', 'actual'];

export function readDataSheet(ws: ExcelJS.Worksheet): DataSheet {
	const text = (row: number, column: number) => cellText(ws, row, column);
	const num = (row: number, column: number) => cellNumber(ws, row, column);
	const fail = (row: number, column: number, detail: string) =>
		new XlsxImportError(SHEET_DATA, cellAddress(row, column), detail);

	if (text(1, 1) !== FORMAT_MARKER) {
		throw fail(
			1,
			1,
			`「${FORMAT_MARKER}」が必要です（Shinko が書き出したファイルではないようです）`
		);
	}
	const version = num(1, 2);
	if (version === null || !Number.isInteger(version) || version < 1 || version > FORMAT_VERSION) {
		throw fail(
			1,
			2,
			`この形式の版（${version ?? '空欄'}）は読めません。新しい Shinko で取り込んでください`
		);
	}

	// Loosely typed until the schema check at the end of the import.
	const meta: Record<string, unknown> = {};
	const pillars: PillarRef[] = [];
	const kpis: KpiJSON[] = [];
	const cells = new Map<string, string>();
	const from = (path: string, row: number, column: number) =>
		cells.set(path, cellAddress(row, column));
	const ref = (row: number): ItemRef => ({ id: text(row, 2), no: text(row, 3) });
	let items = 0;

	for (let row = 2; row <= ws.rowCount; row++) {
		const key = text(row, 1);
		switch (key) {
			case '':
				break;
			case DATA_KEYS.schemaVersion:
			case DATA_KEYS.fiscalYear:
				meta[key] = required(num(row, 2), () => fail(row, 2, '数値が必要です'));
				from(key, row, 2);
				break;
			case DATA_KEYS.title:
			case DATA_KEYS.planName:
			case DATA_KEYS.organisation:
				meta[key] = text(row, 2);
				from(key, row, 2);
				break;
			case DATA_KEYS.quarterLabels:
				meta.quarterLabels = [text(row, 2), text(row, 3), text(row, 4), text(row, 5)];
				for (let q = 0; q < 4; q++) from(`${key}.${q}`, row, 2 + q);
				break;
			case DATA_KEYS.levelLabels:
			case DATA_KEYS.periodLabels: {
				const labels = rowTexts(ws, row);
				labels.forEach((_, index) => from(`${key}.${index}`, row, 2 + index));
				meta[key] = labels;
				break;
			}
			case DATA_KEYS.mark: {
				const scale = list(meta, 'markScale');
				const at = `markScale.${scale.length}`;
				MARK_FIELDS.forEach((field, index) => from(`${at}.${field}`, row, 2 + index));
				const removed = text(row, 6);
				if (removed !== '' && removed !== REMOVED_MARK)
					throw fail(row, 6, `「${REMOVED_MARK}」か空欄が必要です`);
				scale.push({
					mark: text(row, 2),
					label: text(row, 3),
					tone: text(row, 4),
					key: text(row, 5),
					...(removed === REMOVED_MARK ? { removed: true } : {})
				});
				break;
			}
			case DATA_KEYS.department: {
				const departments = list(meta, 'departments');
				from(`departments.${departments.length}`, row, 2);
				departments.push(text(row, 2));
				break;
			}
			case DATA_KEYS.columnLabel: {
				const labels = (meta.columnLabels ??= {}) as Record<string, string>;
				const column = text(row, 2);
				if (!(STANDARD_COLUMNS as readonly string[]).includes(column))
					throw fail(row, 2, `標準の列（${STANDARD_COLUMNS.join('、')}）が必要です`);
				from(`columnLabels.${column}`, row, 3);
				labels[column] = text(row, 3);
				break;
			}
			case DATA_KEYS.extraColumn: {
				const columns = list(meta, 'extraColumns');
				from(`extraColumns.${columns.length}.key`, row, 2);
				from(`extraColumns.${columns.length}.label`, row, 3);
				columns.push({ key: text(row, 2), label: text(row, 3) });
				break;
			}
			case DATA_KEYS.pillar:
				from(`pillars.${pillars.length}.id`, row, 2);
				pillars.push({ ...ref(row), sections: [] });
				break;
			case DATA_KEYS.section: {
				const pillar = required(pillars.at(-1), () => fail(row, 1, '節の前に柱の行がありません'));
				from(`pillars.${pillars.length - 1}.sections.${pillar.sections.length}.id`, row, 2);
				const level = text(row, 4);
				if (level !== '' && level !== '3') throw fail(row, 4, '見出しの階層は空欄か 3 です');
				const mark = text(row, 5);
				if (mark !== '' && mark !== SECTION_NO_ROW)
					throw fail(row, 5, `空欄か ${SECTION_NO_ROW} のはずです`);
				pillar.sections.push({
					...ref(row),
					...(level === '3' ? { level: 3 as const } : {}),
					...(mark === SECTION_NO_ROW ? { noRow: true as const } : {}),
					items: []
				});
				break;
			}
			case DATA_KEYS.item: {
				if (items++ === MAX_ITEMS) {
					throw fail(row, 1, TOO_MANY_ITEMS);
				}
				const noSection = () => fail(row, 1, '取り組み項目の前に節の行がありません');
				const pillar = pillars.length - 1;
				const section = required(pillars[pillar]?.sections.at(-1), noSection);
				const at = `pillars.${pillar}.sections.${(pillars[pillar]?.sections.length ?? 0) - 1}`;
				from(`${at}.items.${section.items.length}.id`, row, 2);
				section.items.push(ref(row));
				break;
			}
			case DATA_KEYS.kpi:
				KPI_FIELDS.forEach((field, index) => from(`kpis.${kpis.length}.${field}`, row, 2 + index));
				kpis.push({
					id: text(row, 2),
					name: text(row, 3),
					unit: text(row, 4),
					baseline: { label: text(row, 5), value: num(row, 6) },
					target: num(row, 7),
					years: [],
					...(text(row, 8) === 'lowerIsBetter' ? { lowerIsBetter: true } : {})
				});
				break;
			case DATA_KEYS.kpiYear: {
				const kpi = required(kpis.at(-1), () => fail(row, 1, '年度の行の前に目標の行がありません'));
				const at = `kpis.${kpis.length - 1}.years.${kpi.years.length}`;
				YEAR_FIELDS.forEach((field, index) => from(`${at}.${field}`, row, 2 + index));
				kpi.years.push({
					label: text(row, 2),
					fiscalYear: required(num(row, 3), () => fail(row, 3, '年度（数値）が必要です')),
					target: num(row, 4),
					actual: num(row, 5)
				});
				break;
			}
			default:
				throw fail(row, 1, `知らない行「${key.slice(0, 40)}」です`);
		}
	}

	const needed =
		version === 1
			? ['schemaVersion', 'title', 'fiscalYear', 'quarterLabels']
			: ['schemaVersion', 'title', 'fiscalYear', 'levelLabels', 'periodLabels', 'markScale'];
	for (const key of needed) {
		if (meta[key] === undefined)
			throw new XlsxImportError(SHEET_DATA, '', `「${key}」の行がありません`);
	}
	const shape = version === 1 ? {} : { departments: [], columnLabels: {}, extraColumns: [] };
	const full: Meta = { planName: '', organisation: '', ...shape, ...meta };
	return { version, meta: full, pillars, kpis, cells };
}

// Columns B… of a mark row, as paths inside the scale's entry.
const MARK_FIELDS = ['mark', 'label', 'tone', 'key', 'removed'];

/** The list under `key` in the meta being read, made on its first row. */
function list(meta: Meta, key: string): unknown[] {
	const value = (meta[key] ??= []);
	return value as unknown[];
}

/** A row's texts from column B to its last cell with a value. */
function rowTexts(ws: ExcelJS.Worksheet, row: number): string[] {
	const texts: string[] = [];
	for (let column = 2; column <= ws.getRow(row).cellCount; column++)
		texts.push(cellText(ws, row, column));
	while (texts.at(-1) === '') texts.pop();
	return texts;
}

function required<T>(value: T | null | undefined, error: () => Error): T {
	if (value === null || value === undefined) throw error();
	return value;
}
