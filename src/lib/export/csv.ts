// The table as CSV for spreadsheets and mail merges: one row per item; UTF-8 with a BOM so Excel
// reads the Japanese; CRLF and RFC 4180 quoting; no cell a spreadsheet would run as a formula.
import type { SheetJSON } from '../model/schema.ts';
import { markText } from './xlsx-layout.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';
const DEPARTMENT_SEPARATOR = '・';

export function sheetToCsv(sheet: SheetJSON): string {
	const header = [
		'基本計画',
		'施策',
		'番号',
		'取り組み項目',
		'具体的内容',
		'担当課',
		'年度計画',
		...sheet.quarterLabels.flatMap((label) => [`${label} 計画`, `${label} 進行管理`]),
		'達成状況及び今後の方針'
	];
	const rows = [header];
	for (const pillar of sheet.pillars) {
		for (const section of pillar.sections) {
			for (const item of section.items) {
				rows.push([
					joinNo(pillar.no, pillar.title),
					joinNo(section.no, section.title),
					item.no,
					item.title,
					item.content,
					item.departments.join(DEPARTMENT_SEPARATOR),
					item.yearPlan,
					...item.plans.flatMap((plan, q) => [plan, markText(item.marks[q] ?? '')]),
					item.note
				]);
			}
		}
	}
	return BOM + rows.map((row) => row.map(csvCell).join(',') + CRLF).join('');
}

function joinNo(no: string, title: string): string {
	return no === '' ? title : `${no} ${title}`;
}

// Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection"), in
// their full-width forms too (a Japanese IME types ＝), and leading whitespace, U+3000 included
// (\s covers it), does not stop them. A cell starting with a tab or a line break is escaped
// whatever follows: the spreadsheet may strip it and read what comes next as the start.
const FORMULA_START = /^(?:\s*[=+\-@＝＋－＠]|[\t\r\n])/;

export function csvCell(text: string): string {
	const safe = FORMULA_START.test(text) ? `'${text}` : text;
	return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
