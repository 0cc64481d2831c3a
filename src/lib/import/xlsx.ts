// Imports the .xlsx that sheetToXlsx writes, after an office worker may have edited it in Excel:
// texts and marks come from the visible cells, ids and exact numbers from the hidden _shinko
// sheet. Hostile files are refused before ExcelJS inflates anything (see zip-guard.ts).
import ExcelJS from 'exceljs';
import {
	HEADER_ROW,
	MARKS_LABEL,
	SHEET_DATA,
	SHEET_KPIS,
	SHEET_TABLE,
	TITLE_ROW,
	cellAddress,
	columnHeading,
	tableColumns,
	type TableColumns
} from '../export/xlsx-layout.ts';
import {
	sheetSchema,
	sheetV1Schema,
	type ItemJSON,
	type MarkCell,
	type PillarJSON,
	type SheetJSON
} from '../model/schema.ts';
import { sheetProblems, upgradeSheetV1 } from '../model/sheet-shape.ts';
import { describeIssue, fieldLabel, issueContext, issuePath } from './schema-issue.ts';
import { matchPillar, matchSection, splitItemNo } from './text-lines.ts';
import { markOf } from '../model/marks.ts';
import { XlsxImportError, cellText, checkNoFormulas, checkSheetSize } from './xlsx-cells.ts';
import { readDataSheet, type ItemRef, type PillarRef } from './xlsx-data.ts';
import { readKpiSheet } from './xlsx-kpis.ts';
import { ZipGuardError, inspectZip, verifyZip } from './zip-guard.ts';

export { XlsxImportError };

/** Where each value of the result came from, so a schema error can name its cell. */
type Origins = Map<string, { sheet: string; cell: string }>;

/** What reading the table sheet needs of the sheet's shape. */
type TableShape = Pick<SheetJSON, 'periodLabels' | 'markScale' | 'extraColumns' | 'columnLabels'>;

export async function xlsxToSheet(bytes: Uint8Array | ArrayBuffer): Promise<SheetJSON> {
	const workbook = await loadWorkbook(bytes);
	if (!isShinkoWorkbook(workbook)) {
		throw new XlsxImportError(
			'',
			'',
			`Shinko で書き出した .xlsx ではありません（隠しシート「${SHEET_DATA}」がありません）`
		);
	}
	return shinkoWorkbookToSheet(workbook);
}

/** A workbook read safely: hostile zips refused before ExcelJS inflates anything, sizes checked. */
export async function loadWorkbook(bytes: Uint8Array | ArrayBuffer): Promise<ExcelJS.Workbook> {
	const data = ArrayBuffer.isView(bytes) ? bytes : new Uint8Array(bytes);
	let mergedRanges: number;
	try {
		({ mergedRanges } = await verifyZip(data, inspectZip(data)));
	} catch (error) {
		if (error instanceof ZipGuardError) throw new XlsxImportError('', '', error.message);
		throw error;
	}
	if (mergedRanges > MAX_MERGED_RANGES) {
		throw new XlsxImportError(
			'',
			'',
			`結合したセルが多すぎます（${mergedRanges}か所。${MAX_MERGED_RANGES}か所まで）`
		);
	}

	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.load(data.slice().buffer);
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		throw new XlsxImportError('', '', `.xlsx として読めません（${detail.slice(0, 200)}）`);
	}
	return workbook;
}

/** Merged ranges in a workbook: 2,500 items of the published layout (4 each), and a margin. */
export const MAX_MERGED_RANGES = 12_000;

/** A workbook Shinko wrote: it carries the hidden sheet of ids and exact numbers. */
export function isShinkoWorkbook(workbook: ExcelJS.Workbook): boolean {
	return workbook.getWorksheet(SHEET_DATA) !== undefined;
}

export function shinkoWorkbookToSheet(workbook: ExcelJS.Workbook): SheetJSON {
	for (const ws of workbook.worksheets) checkSheetSize(ws);
	const dataSheet = workbook.getWorksheet(SHEET_DATA)!;
	const table = workbook.getWorksheet(SHEET_TABLE);
	if (!table) throw new XlsxImportError('', '', `シート「${SHEET_TABLE}」がありません`);
	checkNoFormulas(table);
	checkNoFormulas(dataSheet);

	const stored = readDataSheet(dataSheet);
	const origins: Origins = new Map();
	for (const [path, cell] of stored.cells) origins.set(path, { sheet: SHEET_DATA, cell });
	// The shape first: it says which columns the table sheet has and which marks it may hold.
	const shape = validated({ ...stored.meta, pillars: [], kpis: [] }, origins);
	const pillars = readTable(table, stored.pillars, shape, origins);
	// The visible title and KPI sheet win over the hidden copy, as the table's cells do.
	const title = cellText(table, TITLE_ROW, 1);
	if (title === '')
		throw new XlsxImportError(table.name, cellAddress(TITLE_ROW, 1), '表題が空です');
	const kpiSheet = workbook.getWorksheet(SHEET_KPIS);
	if (kpiSheet) checkNoFormulas(kpiSheet);
	const kpis = kpiSheet ? readKpiSheet(kpiSheet, stored.kpis, stored.version) : stored.kpis;
	return validated({ ...stored.meta, title, pillars, kpis }, origins);
}

function readTable(
	ws: ExcelJS.Worksheet,
	refs: PillarRef[],
	shape: TableShape,
	origins: Origins
): PillarJSON[] {
	const cols = tableColumns(shape.periodLabels.length, shape.extraColumns.length);
	const text = (row: number, column: number) => cellText(ws, row, column);
	const fail = (row: number, column: number, detail: string) =>
		new XlsxImportError(ws.name, cellAddress(row, column), detail);
	const note = (path: string, row: number, column: number) =>
		origins.set(path, { sheet: ws.name, cell: cellAddress(row, column) });

	let row = findHeader(ws, columnHeading(shape, 'title')) + 1;
	const heading = (expected: string) => {
		const found = text(row, 1);
		if (found === '') throw fail(row, 1, `${expected}の見出しが必要ですが空欄です`);
		if (text(row, cols.yearPlan) === MARKS_LABEL) {
			throw fail(row, cols.yearPlan, `${expected}の見出しが必要ですが${MARKS_LABEL}の行があります`);
		}
		return found;
	};

	const pillars = refs.map((pillarRef, p): PillarJSON => {
		note(`pillars.${p}`, row, 1);
		const pillarTitle = splitHeading(heading('柱'), pillarRef.no, matchPillar);
		row++;
		const sections = pillarRef.sections.map(({ noRow, ...sectionRef }, s) => {
			note(`pillars.${p}.sections.${s}`, row, 1);
			const sectionTitle = noRow
				? { no: sectionRef.no, title: '' }
				: splitHeading(heading('節'), sectionRef.no, matchSection);
			if (!noRow) row++;
			const items = sectionRef.items.map((itemRef, i) => {
				const path = `pillars.${p}.sections.${s}.items.${i}`;
				const item = readItem(ws, row, itemRef, shape, cols, (field, r, column) =>
					note(`${path}.${field}`, r, column)
				);
				row += 2;
				return item;
			});
			return { ...sectionRef, ...sectionTitle, items };
		});
		return { ...pillarRef, ...pillarTitle, sections };
	});

	// Rows added in Excel have no id to carry them: refuse rather than drop them silently.
	for (let extra = row; extra <= ws.rowCount; extra++) {
		for (let column = 1; column <= cols.count; column++) {
			if (text(extra, column) !== '') {
				throw fail(
					extra,
					column,
					'表の最後の取り組み項目より後に値があります（行の追加や削除は Shinko の画面で行ってください）'
				);
			}
		}
	}
	return pillars;
}

/**
 * The header row: where sheetToXlsx put it, or else the first of the top rows (an editor may have
 * inserted one above) whose first cell is the title column's heading.
 */
function findHeader(ws: ExcelJS.Worksheet, first: string): number {
	if (cellText(ws, HEADER_ROW, 1) === first) return HEADER_ROW;
	for (let row = 1; row <= Math.min(ws.rowCount, 20); row++) {
		if (cellText(ws, row, 1) === first) return row;
	}
	throw new XlsxImportError(
		ws.name,
		cellAddress(HEADER_ROW, 1),
		`見出しの行（「${first}」で始まる行）が見つかりません`
	);
}

function readItem(
	ws: ExcelJS.Worksheet,
	row: number,
	ref: ItemRef,
	shape: TableShape,
	cols: TableColumns,
	note: (field: string, row: number, column: number) => void
): ItemJSON {
	const text = (r: number, column: number) => cellText(ws, r, column);
	const marksRow = row + 1;
	const label = text(marksRow, cols.yearPlan);
	if (label !== MARKS_LABEL) {
		const found = label === '' ? '空欄です' : `「${label.slice(0, 20)}」があります`;
		throw new XlsxImportError(
			ws.name,
			cellAddress(marksRow, cols.yearPlan),
			`「${MARKS_LABEL}」が必要ですが${found}（行の追加や削除は Shinko の画面で行ってください）`
		);
	}
	const fields: [string, number, number][] = [
		['title', row, cols.title],
		['content', row, cols.content],
		['departments', row, cols.departments],
		['yearPlan', row, cols.yearPlan],
		['note', row, cols.note]
	];
	shape.periodLabels.forEach((_, p) =>
		fields.push([`plans.${p}`, row, cols.period(p)], [`marks.${p}`, marksRow, cols.period(p)])
	);
	shape.extraColumns.forEach(({ key }, x) => fields.push([`extra.${key}`, row, cols.extra(x)]));
	for (const [field, r, column] of fields) note(field, r, column);

	// An added column's empty cell is left out, as the table's own JSON leaves it out.
	const extra: Record<string, string> = {};
	shape.extraColumns.forEach(({ key }, x) => {
		const value = text(row, cols.extra(x));
		if (value !== '') extra[key] = value;
	});
	const { no, title } = splitItemTitle(text(row, cols.title), ref.no);
	return {
		id: ref.id,
		no,
		title,
		content: text(row, cols.content),
		departments: text(row, cols.departments)
			.split('\n')
			.map((name) => name.trim())
			.filter(Boolean),
		yearPlan: text(row, cols.yearPlan),
		plans: shape.periodLabels.map((_, p) => text(row, cols.period(p))),
		marks: shape.periodLabels.map((_, p) =>
			readMark(ws, marksRow, cols.period(p), shape.markScale)
		),
		note: text(row, cols.note),
		extra
	};
}

/** 「1 会員の増強」 → its title; the stored number first, then any number an editor typed. */
function splitHeading(
	text: string,
	no: string,
	match: (text: string) => { no: string; title: string } | null
): { no: string; title: string } {
	if (no === '' || text === no) return { no, title: no === '' ? text : '' };
	if (text.startsWith(`${no} `)) return { no, title: text.slice(no.length + 1) };
	return match(text) ?? { no: '', title: text };
}

function splitItemTitle(text: string, no: string): { no: string; title: string } {
	if (no !== '' && text.startsWith(no)) return { no, title: text.slice(no.length) };
	return no === '' ? { no, title: text } : splitItemNo(text);
}

/**
 * A mark cell: one of the table's marks, or competing marks joined by / while in conflict. A
 * mark that itself holds a / is taken whole. Marks taken off the scale are read (cells still
 * hold them) but not offered in the error.
 */
function readMark(
	ws: ExcelJS.Worksheet,
	row: number,
	column: number,
	markScale: SheetJSON['markScale']
): MarkCell {
	const scale = markScale.map((entry) => entry.mark);
	const offered = markScale.filter((entry) => !entry.removed).map((entry) => entry.mark);
	const text = cellText(ws, row, column).trim();
	if (text === '') return '';
	const whole = markOf(text, scale);
	if (whole !== null) return whole;
	const parts = text.split(/[/／]/).map((part) => part.trim());
	const refuse = (detail: string) =>
		new XlsxImportError(ws.name, cellAddress(row, column), `進行管理のマーク${detail}`);
	if (parts.includes('')) throw refuse(`「${text}」の / の前後にマークがありません`);
	const marks = parts.map((part) => {
		const mark = markOf(part, scale);
		if (mark !== null) return mark;
		throw refuse(`「${part}」は使えません（${offered.join(' ')} または空欄）`);
	});
	return marks.length === 1 ? (marks[0] ?? '') : marks;
}

/**
 * The sheet checked against its schema (a format 1 file's against version 1's, then brought up to
 * version 2) and its items against its shape; an error names the cell the value came from.
 */
function validated(sheet: Record<string, unknown>, origins: Origins): SheetJSON {
	const result =
		sheet.schemaVersion === 1
			? sheetV1Schema.safeParse(sheet, { reportInput: true })
			: sheetSchema.safeParse(sheet, { reportInput: true });
	if (!result.success) {
		const issue = result.error.issues[0];
		const detail = issue
			? `${fieldLabel(issue.path)}: ${describeIssue(issue, issueContext(sheet))}（${issuePath(issue.path)}）`
			: '表の形に合いません';
		throw refusal(issue?.path ?? [], detail, origins);
	}
	const data = result.data.schemaVersion === 1 ? upgradeSheetV1(result.data) : result.data;
	const [problem] = sheetProblems(data, 1);
	if (!problem) return data;
	// pillars[0].sections[1].items[2].marks[3] → the origins' pillars.0.sections.1.items.2.marks.3
	const path = problem.path
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.filter(Boolean);
	throw refusal(path, problem.message, origins);
}

function refusal(path: readonly PropertyKey[], detail: string, origins: Origins): XlsxImportError {
	const keys = path.map(String);
	let origin: { sheet: string; cell: string } | undefined;
	for (let length = keys.length; length > 0 && !origin; length--) {
		origin = origins.get(keys.slice(0, length).join('.'));
	}
	return new XlsxImportError(origin?.sheet ?? SHEET_DATA, origin?.cell ?? '', detail);
}
