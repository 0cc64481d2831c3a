// The table as CSV for spreadsheets and mail merges: one row per item; UTF-8 with a BOM so Excel
// reads the Japanese; CRLF and RFC 4180 quoting; no cell a spreadsheet would run as a formula.
// The columns are the table's own: a plan and a mark per period, its names for the standard
// columns, and its added columns after the note.
import type { SheetJSON } from '../model/schema.ts';
import { isSubSection } from '../model/sheet-shape.ts';
import { columnHeading, levelHeadings, markText } from './xlsx-layout.ts';
import { guardFormula } from '../model/spreadsheet-text.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';
const DEPARTMENT_SEPARATOR = '・';

export function sheetToCsv(sheet: SheetJSON): string {
	const header = [
		...levelHeadings(sheet),
		'番号',
		columnHeading(sheet, 'title'),
		columnHeading(sheet, 'content'),
		'担当課',
		columnHeading(sheet, 'yearPlan'),
		...sheet.periodLabels.flatMap((label) => [`${label} 計画`, `${label} 進行管理`]),
		columnHeading(sheet, 'note'),
		...sheet.extraColumns.map((column) => column.label)
	];
	const rows = [header];
	const three = sheet.levelLabels.length === 3;
	for (const pillar of sheet.pillars) {
		/** In a table of three levels, the level-2 heading the level-3 ones that follow sit under. */
		let parent = '';
		for (const section of pillar.sections) {
			const heading = joinNo(section.no, section.title);
			const sub = isSubSection(sheet, section);
			if (!sub) parent = heading;
			const headings = !three ? [heading] : sub ? [parent, heading] : [heading, ''];
			for (const item of section.items) {
				rows.push([
					joinNo(pillar.no, pillar.title),
					...headings,
					item.no,
					item.title,
					item.content,
					item.departments.join(DEPARTMENT_SEPARATOR),
					item.yearPlan,
					...sheet.periodLabels.flatMap((_, p) => [
						item.plans[p] ?? '',
						markText(item.marks[p] ?? '')
					]),
					item.note,
					...sheet.extraColumns.map(({ key }) => item.extra[key] ?? '')
				]);
			}
		}
	}
	return BOM + rows.map((row) => row.map(csvCell).join(',') + CRLF).join('');
}

function joinNo(no: string, title: string): string {
	return no === '' ? title : `${no} ${title}`;
}

export function csvCell(text: string): string {
	const safe = guardFormula(text);
	return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
