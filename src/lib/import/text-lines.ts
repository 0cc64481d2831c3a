// Reading the single cells and lines of a 進行管理表 extracted from a PDF as tab-separated text.
import { DEPARTMENTS, type MarkCell } from '../model/schema.ts';
import { markOf } from '../model/marks.ts';

export class TextImportError extends Error {
	readonly line: number;

	constructor(line: number, detail: string) {
		super(`${line}行目: ${detail}`);
		this.name = 'TextImportError';
		this.line = line;
	}
}

export const KPI_MARKER = '<計画期間の目標>';
export const HEADER_FIRST = '取り組み項目';

export function splitLines(text: string): string[] {
	return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

function isBlank(line: string): boolean {
	return line.trim() === '';
}

export type Cursor = { lines: string[]; next: number };

/** The next line that carries content, skipping blanks and ※ annotations such as ※括弧は年度実績. */
export function nextLine(cursor: Cursor): { text: string; line: number } | null {
	while (cursor.next < cursor.lines.length) {
		const text = cursor.lines[cursor.next++] ?? '';
		if (!isBlank(text) && !text.trim().startsWith('※')) return { text, line: cursor.next };
	}
	return null;
}

export function cells(text: string): string[] {
	return text.split('\t').map((cell) => cell.trim());
}

export function found(text: string | undefined): string {
	return text === undefined ? 'テキストが終わっています' : `「${excerpt(text)}」がありました`;
}

/** A line as it might appear in a message: tabs shown as ｜, long lines cut short. */
export function excerpt(line: string): string {
	const shown = line.trim().replaceAll('\t', '｜');
	return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
}

/** Markers and labels compared without the PDF's stray spaces or full-width forms. */
export function compact(text: string): string {
	return text.normalize('NFKC').replace(/\s+/g, '');
}

export function collapseSpaces(text: string): string {
	return text.trim().replace(/\s+/g, ' ');
}

const ERAS: Record<string, number> = { 令和: 2018, R: 2018, 平成: 1988, H: 1988 };
const FISCAL_YEAR = /(令和|平成|R|H)(元|\d{1,2})年度|(\d{4})年度/;

/** The fiscal year a label names (令和2年度, 平成 30 年度, 2020年度), or null if none. */
export function findFiscalYear(text: string): number | null {
	const match = FISCAL_YEAR.exec(compact(text));
	if (!match) return null;
	const [, era, year, western] = match;
	if (western) return Number(western);
	return (ERAS[era ?? ''] ?? 0) + (year === '元' ? 1 : Number(year));
}

export function findPlanName(title: string): string {
	const match = /第\s*[0-9０-９一二三四五六七八九十]+\s*次\s*基本計画/.exec(title);
	return match ? compact(match[0]) : '';
}

const PILLAR = /^([0-9０-９]{1,3})\s*(\D.*)$/;
const SECTION = /^[(（]\s*([0-9０-９]{1,3})\s*[)）]\s*(.+)$/;

export function matchPillar(text: string): { no: string; title: string } | null {
	const match = PILLAR.exec(text);
	return match ? { no: compact(match[1] ?? ''), title: collapseSpaces(match[2] ?? '') } : null;
}

export function matchSection(text: string): { no: string; title: string } | null {
	const match = SECTION.exec(text);
	return match
		? { no: `(${compact(match[1] ?? '')})`, title: collapseSpaces(match[2] ?? '') }
		: null;
}

// ①–⑳, ㉑–㉟, ㊱–㊿: the circled numbers a table can run to.
const ITEM_NO = /^([\u2460-\u2473\u3251-\u325F\u32B1-\u32BF])\s*/;

export function splitItemNo(text: string): { no: string; title: string } {
	const match = ITEM_NO.exec(text);
	const no = match?.[1] ?? '';
	return { no, title: collapseSpaces(text.slice(match?.[0].length ?? 0)) };
}

/** 総務事業, 総務 事業, 事業・総務 → the known departments in the order written. */
export function parseDepartments(text: string, line: number): string[] {
	const departments: string[] = [];
	for (const word of text.split(/[\s・、,，/／]+/).filter(Boolean)) {
		// The PDF often runs two department names together with no separator.
		let rest = word;
		while (rest !== '') {
			const known = DEPARTMENTS.find((name) => rest.startsWith(name));
			if (!known) {
				const unknown = rest === text ? `「${text}」` : `「${text}」の「${rest}」`;
				const expected = `${DEPARTMENTS.join('、')} またはその組み合わせ`;
				throw new TextImportError(line, `担当課${unknown}は知らない課です（${expected}）`);
			}
			if (departments.includes(known)) {
				throw new TextImportError(line, `担当課「${text}」に「${known}」が2回あります`);
			}
			departments.push(known);
			rest = rest.slice(known.length);
		}
	}
	return departments;
}

/** A mark cell of the text: blank, or one of `scale`'s marks; `period` names it in the error. */
export function parseMark(
	text: string,
	line: number,
	period: string,
	scale: readonly string[]
): MarkCell {
	const mark = text.trim();
	if (mark === '') return '';
	const known = markOf(mark, scale);
	if (known !== null) return known;
	throw new TextImportError(
		line,
		`「${period}」の進行管理のマーク「${mark}」は使えません（${scale.join(' ')} または空欄）`
	);
}
