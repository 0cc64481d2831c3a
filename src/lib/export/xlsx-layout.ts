// The shape of Shinko's .xlsx, shared by the writer and the reader so the two cannot drift apart.
import type { MarkCell } from '../model/schema.ts';

export const SHEET_TABLE = '進行管理表';
export const SHEET_KPIS = '計画期間の目標';
/** The very hidden sheet with what the printed layout cannot carry exactly (ids, raw numbers). */
export const SHEET_DATA = '_shinko';
export const FORMAT_MARKER = 'shinko-xlsx';
export const FORMAT_VERSION = 1;

export const ITEMS_MARKER = '<基本計画の取り組み>';
export const HEADER_FIRST = '取り組み項目';
export const MARKS_LABEL = '進行管理';
export const NOTE_HEADER = '達成状況及び今後の方針';
export const KPI_NOTE = '※括弧は年度実績';
/** Competing marks of a conflict share one cell: ○/×. */
export const MARK_SEPARATOR = '/';

/** 1-based columns of the table sheet: title, content, departments, year plan, 4 quarters, note. */
export const COL = {
	title: 1,
	content: 2,
	departments: 3,
	yearPlan: 4,
	quarter: 5,
	note: 9
} as const;
export const TABLE_COLUMNS = 9;
export const TITLE_ROW = 1;
export const HEADER_ROW = 3;

/** Rows of the _shinko sheet, keyed by the text in column A. */
export const DATA_KEYS = {
	schemaVersion: 'schemaVersion',
	title: 'title',
	planName: 'planName',
	organisation: 'organisation',
	fiscalYear: 'fiscalYear',
	quarterLabels: 'quarterLabels',
	pillar: 'pillar',
	section: 'section',
	item: 'item',
	kpi: 'kpi',
	kpiYear: 'kpiYear'
} as const;

export function markText(mark: MarkCell): string {
	return Array.isArray(mark) ? mark.join(MARK_SEPARATOR) : mark;
}

export function columnLetter(column: number): string {
	let letters = '';
	for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
		letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
	}
	return letters;
}

export function cellAddress(row: number, column: number): string {
	return `${columnLetter(column)}${row}`;
}

/**
 * Text as an .xlsx cell must hold it. Excel (and ExcelJS on reading) decodes _xHHHH_ escapes, and
 * XML cannot carry most control characters or a bare CR, so both are escaped the way Excel does.
 */
export function toCellText(text: string): string {
	return text.replace(/_x(?=[0-9A-F]{4}_)/g, '_x005F_x').replace(
		// eslint-disable-next-line no-control-regex -- these are exactly the characters XML cannot hold
		/[\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]/g,
		(char) => `_x${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`
	);
}
