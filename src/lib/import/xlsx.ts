// Imports the .xlsx that sheetToXlsx writes, after an office worker may have edited it in Excel:
// texts and marks come from the visible cells, ids and exact numbers from the hidden _shinko
// sheet. Hostile files are refused before ExcelJS inflates anything (see zip-guard.ts).
import ExcelJS from 'exceljs';
import {
	COL,
	HEADER_FIRST,
	MARKS_LABEL,
	SHEET_DATA,
	SHEET_TABLE,
	TABLE_COLUMNS,
	cellAddress
} from '../export/xlsx-layout.ts';
import { MARKS, isMark } from '../model/marks.ts';
import {
	sheetSchema,
	type ItemJSON,
	type MarkCell,
	type PillarJSON,
	type SheetJSON
} from '../model/schema.ts';
import { describeIssue, fieldLabel, issuePath } from './schema-issue.ts';
import { matchPillar, matchSection, parseMark, splitItemNo } from './text-lines.ts';
import { XlsxImportError, cellText, checkNoFormulas, checkSheetSize } from './xlsx-cells.ts';
import { readDataSheet, type ItemRef, type PillarRef } from './xlsx-data.ts';
import { ZipGuardError, inspectZip, verifyZip } from './zip-guard.ts';

export { XlsxImportError };

/** Where each value of the result came from, so a schema error can name its cell. */
type Origins = Map<string, { sheet: string; cell: string }>;

export async function xlsxToSheet(bytes: Uint8Array | ArrayBuffer): Promise<SheetJSON> {
	const data = ArrayBuffer.isView(bytes) ? bytes : new Uint8Array(bytes);
	try {
		await verifyZip(data, inspectZip(data));
	} catch (error) {
		if (error instanceof ZipGuardError) throw new XlsxImportError('', '', error.message);
		throw error;
	}

	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.load(data.slice().buffer);
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		throw new XlsxImportError('', '', `.xlsx として読めません（${detail.slice(0, 200)}）`);
	}
	for (const ws of workbook.worksheets) checkSheetSize(ws);

	const dataSheet = workbook.getWorksheet(SHEET_DATA);
	if (!dataSheet) {
		throw new XlsxImportError(
			'',
			'',
			`取り込めるのは Shinko で書き出した .xlsx だけです（隠しシート「${SHEET_DATA}」がありません）。ほかの表は、テキスト形式（タブ区切り）にして取り込んでください`
		);
	}
	const table = workbook.getWorksheet(SHEET_TABLE);
	if (!table) throw new XlsxImportError('', '', `シート「${SHEET_TABLE}」がありません`);
	checkNoFormulas(table);
	checkNoFormulas(dataSheet);

	const stored = readDataSheet(dataSheet);
	const origins: Origins = new Map();
	for (const [path, cell] of stored.cells) origins.set(path, { sheet: SHEET_DATA, cell });
	const pillars = readTable(table, stored.pillars, origins);
	return validated({ ...stored.meta, pillars, kpis: stored.kpis }, origins);
}

function readTable(ws: ExcelJS.Worksheet, refs: PillarRef[], origins: Origins): PillarJSON[] {
	const text = (row: number, column: number) => cellText(ws, row, column);
	const fail = (row: number, column: number, detail: string) =>
		new XlsxImportError(ws.name, cellAddress(row, column), detail);
	const note = (path: string, row: number, column: number) =>
		origins.set(path, { sheet: ws.name, cell: cellAddress(row, column) });

	let row = findHeader(ws) + 1;
	const heading = (expected: string) => {
		const found = text(row, 1);
		if (found === '') throw fail(row, 1, `${expected}の見出しが必要ですが空欄です`);
		if (text(row, COL.yearPlan) === MARKS_LABEL) {
			throw fail(row, COL.yearPlan, `${expected}の見出しが必要ですが${MARKS_LABEL}の行があります`);
		}
		return found;
	};

	const pillars = refs.map((pillarRef, p): PillarJSON => {
		note(`pillars.${p}`, row, 1);
		const pillarTitle = splitHeading(heading('柱'), pillarRef.no, matchPillar);
		row++;
		const sections = pillarRef.sections.map((sectionRef, s) => {
			note(`pillars.${p}.sections.${s}`, row, 1);
			const sectionTitle = splitHeading(heading('節'), sectionRef.no, matchSection);
			row++;
			const items = sectionRef.items.map((itemRef, i) => {
				const path = `pillars.${p}.sections.${s}.items.${i}`;
				const item = readItem(ws, row, itemRef, (field, r, column) =>
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
		for (let column = 1; column <= TABLE_COLUMNS; column++) {
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

function findHeader(ws: ExcelJS.Worksheet): number {
	for (let row = 1; row <= Math.min(ws.rowCount, 20); row++) {
		if (cellText(ws, row, 1) === HEADER_FIRST) return row;
	}
	throw new XlsxImportError(
		ws.name,
		'A3',
		`見出しの行（「${HEADER_FIRST}」で始まる行）が見つかりません`
	);
}

function readItem(
	ws: ExcelJS.Worksheet,
	row: number,
	ref: ItemRef,
	note: (field: string, row: number, column: number) => void
): ItemJSON {
	const text = (r: number, column: number) => cellText(ws, r, column);
	const marksRow = row + 1;
	const label = text(marksRow, COL.yearPlan);
	if (label !== MARKS_LABEL) {
		const found = label === '' ? '空欄です' : `「${label.slice(0, 20)}」があります`;
		throw new XlsxImportError(
			ws.name,
			cellAddress(marksRow, COL.yearPlan),
			`「${MARKS_LABEL}」が必要ですが${found}（行の追加や削除は Shinko の画面で行ってください）`
		);
	}
	const fields: [string, number, number][] = [
		['title', row, COL.title],
		['content', row, COL.content],
		['departments', row, COL.departments],
		['yearPlan', row, COL.yearPlan],
		['note', row, COL.note]
	];
	for (let q = 0; q < 4; q++) {
		fields.push([`plans.${q}`, row, COL.quarter + q], [`marks.${q}`, marksRow, COL.quarter + q]);
	}
	for (const [field, r, column] of fields) note(field, r, column);

	const { no, title } = splitItemTitle(text(row, COL.title), ref.no);
	const plan = (q: number) => text(row, COL.quarter + q);
	const mark = (q: number) => readMark(ws, marksRow, COL.quarter + q);
	return {
		id: ref.id,
		no,
		title,
		content: text(row, COL.content),
		departments: text(row, COL.departments)
			.split('\n')
			.map((name) => name.trim())
			.filter(Boolean),
		yearPlan: text(row, COL.yearPlan),
		plans: [plan(0), plan(1), plan(2), plan(3)],
		marks: [mark(0), mark(1), mark(2), mark(3)],
		note: text(row, COL.note)
	};
}

/** 「1 会員の増強」 → its title; the stored number first, then any number an editor typed. */
function splitHeading(
	text: string,
	no: string,
	match: (text: string) => { no: string; title: string } | null
): { no: string; title: string } {
	if (no === '') return { no, title: text };
	if (text.startsWith(`${no} `)) return { no, title: text.slice(no.length + 1) };
	return match(text) ?? { no: '', title: text };
}

function splitItemTitle(text: string, no: string): { no: string; title: string } {
	if (no !== '' && text.startsWith(no)) return { no, title: text.slice(no.length) };
	return no === '' ? { no, title: text } : splitItemNo(text);
}

/** A mark cell: one mark, or competing marks joined by / while in conflict. */
function readMark(ws: ExcelJS.Worksheet, row: number, column: number): MarkCell {
	const text = cellText(ws, row, column).trim();
	if (text === '') return '';
	const parts = text.split(/[/／]/).map((part) => part.trim());
	const refuse = (detail: string) =>
		new XlsxImportError(ws.name, cellAddress(row, column), `進行管理のマーク${detail}`);
	if (parts.includes('')) throw refuse(`「${text}」の / の前後にマークがありません`);
	const marks = parts.map((part) => {
		try {
			const mark = parseMark(part, row, '');
			if (isMark(mark)) return mark;
		} catch {
			// Reported below with the cell, which is what an Excel user can find.
		}
		throw refuse(`「${part}」は使えません（${MARKS.join(' ')} または空欄）`);
	});
	return marks.length === 1 ? (marks[0] ?? '') : marks;
}

function validated(sheet: SheetJSON, origins: Origins): SheetJSON {
	const result = sheetSchema.safeParse(sheet, { reportInput: true });
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const path = (issue?.path ?? []).map(String);
	let origin: { sheet: string; cell: string } | undefined;
	for (let length = path.length; length > 0 && !origin; length--) {
		origin = origins.get(path.slice(0, length).join('.'));
	}
	const detail = issue
		? `${fieldLabel(issue.path)}: ${describeIssue(issue)}（${issuePath(issue.path)}）`
		: '表の形に合いません';
	throw new XlsxImportError(origin?.sheet ?? SHEET_DATA, origin?.cell ?? '', detail);
}
