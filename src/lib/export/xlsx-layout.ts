// The shape of Shinko's .xlsx, shared by the writer and the reader so the two cannot drift apart.
import type { KpiJSON, MarkCell, SectionJSON, SheetJSON } from '../model/schema.ts';
import type { StandardColumn } from '../model/shape.ts';

export const SHEET_TABLE = '進行管理表';
export const SHEET_KPIS = '計画期間の目標';
/** The very hidden sheet with what the printed layout cannot carry exactly (ids, raw numbers). */
export const SHEET_DATA = '_shinko';
export const FORMAT_MARKER = 'shinko-xlsx';
/**
 * 3: the KPI sheet holds numbers, a target and an actual column per year. 2: the table's shape
 * (periods, mark scale, departments, columns) in _shinko, and each KPI year as one text
 * (2,600人 (2,252人)). 1: four quarters.
 */
export const FORMAT_VERSION = 3;
/** The last format whose KPI sheet wrote each year as text, its actual in brackets. */
export const KPI_TEXT_FORMAT = 2;

export const ITEMS_MARKER = '<基本計画の取り組み>';
export const HEADER_FIRST = '取り組み項目';
export const MARKS_LABEL = '進行管理';
export const NOTE_HEADER = '達成状況及び今後の方針';
/** Under the KPIs of a format 2 file, which wrote each year's actual in brackets. */
export const KPI_TEXT_NOTE = '※括弧は年度実績';
export const KPI_TARGET = '目標';
export const KPI_ACTUAL = '実績';
export const KPI_RATE = '達成率';
export const KPI_NOTE = '※達成率は、直近の実績の計画期間の目標に対する割合';
/** Competing marks of a conflict share one cell: ○/×. */
export const MARK_SEPARATOR = '/';

/** The standard columns' usual headings, where the table has not renamed them. */
export const STANDARD_HEADINGS: Record<StandardColumn, string> = {
	title: HEADER_FIRST,
	content: '具体的内容',
	yearPlan: '年度計画',
	note: NOTE_HEADER
};

/** A standard column's heading: the table's own name for it, else `usual`. */
export function columnHeading(
	sheet: Pick<SheetJSON, 'columnLabels'>,
	key: StandardColumn,
	usual: string = STANDARD_HEADINGS[key]
): string {
	const label = sheet.columnLabels[key];
	return label === undefined || label === '' ? usual : label;
}

/**
 * The names of the heading levels above an item for a flat export: pillar and section, and the
 * level-3 section in a table of three levels.
 */
export function levelHeadings(sheet: Pick<SheetJSON, 'levelLabels'>): string[] {
	const two = [sheet.levelLabels[0] ?? '基本計画', sheet.levelLabels[1] ?? '施策'];
	return sheet.levelLabels.length === 3 ? [...two, sheet.levelLabels[2]!] : two;
}

/**
 * 1-based columns of the table sheet: title, content, departments, year plan, one column per
 * period (its plan, and its mark on the row below), the note, then the table's added columns.
 */
export function tableColumns(periods: number, extras: number) {
	const firstPeriod = 5;
	const note = firstPeriod + periods;
	return {
		title: 1,
		content: 2,
		departments: 3,
		yearPlan: 4,
		period: (index: number) => firstPeriod + index,
		note,
		extra: (index: number) => note + 1 + index,
		/** How many columns the table spans. */
		count: note + extras
	};
}
export type TableColumns = ReturnType<typeof tableColumns>;

/**
 * The KPI sheet's years as columns: every KPI's year labels, in the order they first appear; a
 * KPI without one of them leaves it blank.
 */
export function kpiYearLabels(kpis: readonly Pick<KpiJSON, 'years'>[]): string[] {
	return [...new Set(kpis.flatMap((kpi) => kpi.years.map((year) => year.label)))];
}

/**
 * 1-based columns of the KPI sheet: name, baseline, plan-period target, a target and an actual
 * column for each year, and the plan-period rate.
 */
export function kpiColumns(years: number) {
	return {
		name: 1,
		baseline: 2,
		target: 3,
		yearTarget: (index: number) => 4 + 2 * index,
		yearActual: (index: number) => 5 + 2 * index,
		rate: 4 + 2 * years
	};
}

/** The KPI sheet's headings, in the order of kpiColumns: a year's two on two lines each. */
export function kpiHeadings(baseline: string, years: readonly string[]): string[] {
	return [
		HEADER_FIRST,
		baseline,
		KPI_TARGET,
		...years.flatMap((year) => [`${year}\n${KPI_TARGET}`, `${year}\n${KPI_ACTUAL}`]),
		KPI_RATE
	];
}
export const KPI_HEADER_ROW = 2;
export const KPI_FIRST_ROW = 3;

export const TITLE_ROW = 1;
/** The row under the title: the items marker, and the mark scale's legend. */
export const MARKER_ROW = 2;
export const HEADER_ROW = 3;

/** Rows of the _shinko sheet, keyed by the text in column A. */
export const DATA_KEYS = {
	schemaVersion: 'schemaVersion',
	title: 'title',
	planName: 'planName',
	organisation: 'organisation',
	fiscalYear: 'fiscalYear',
	/** Format 1 only: the four quarters' labels. */
	quarterLabels: 'quarterLabels',
	/** The heading levels' names, in columns B…. */
	levelLabels: 'levelLabels',
	/** The periods' labels, in columns B…. */
	periodLabels: 'periodLabels',
	/** One row per entry of the mark scale: mark, meaning, tone, key, `removed` or empty. */
	mark: 'mark',
	/** One row per department of the table's list (up to 64: more than a row's columns). */
	department: 'department',
	/** One row per renamed standard column: its key and its heading. */
	columnLabel: 'columnLabel',
	/** One row per added column: its key and its heading. */
	extraColumn: 'extraColumn',
	pillar: 'pillar',
	/**
	 * id, number, `3` for a level-3 heading (else empty), and `SECTION_NO_ROW` when the table sheet
	 * has no heading row for it (the untitled section of a one-level table's heading).
	 */
	section: 'section',
	item: 'item',
	kpi: 'kpi',
	kpiYear: 'kpiYear'
} as const;

/** What the removed column of a `mark` row says for a mark taken off the scale. */
export const REMOVED_MARK = 'removed';
/** What a `section` row says of a section with no heading row on the table sheet. */
export const SECTION_NO_ROW = 'noRow';

/**
 * Whether the table sheet has a heading row for a section: a one-level table shows none for its
 * untitled sections (one per heading, holding its items), and no table one for a section with
 * neither number nor title (an empty row would read as a missing heading); others keep theirs.
 */
export function sectionHasRow(
	sheet: Pick<SheetJSON, 'levelLabels'>,
	section: Pick<SectionJSON, 'no' | 'title'>
): boolean {
	if (section.title !== '') return true;
	return sheet.levelLabels.length > 1 && section.no !== '';
}

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
