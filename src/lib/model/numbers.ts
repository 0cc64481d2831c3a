// Numbers as they come out of a Japanese PDF: digits spaced apart by the extraction
// (`2, 4 3 1 人`), full-width forms, and 億/万/千… written after Arabic digits (`1 1 億 2 千万円`).

export class NumberFormatError extends Error {
	readonly text: string;
	readonly reason: string;

	constructor(text: string, reason: string) {
		super(`「${text}」は数値として読めません（${reason}）`);
		this.name = 'NumberFormatError';
		this.text = text;
		this.reason = reason;
	}
}

// Japanese counts in groups of four digits: 千百十 scale within a group, 万億兆 close a group,
// so 2千5百万 is (2千 + 5百) × 万 rather than a sum of independent terms.
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 億: 1e8, 兆: 1e12 };

// Full-width ASCII (０-９，．（）) to half-width. Not NFKC: that would also turn a unit such as
// ㎡ into m2, which then reads as a number.
function halfWidth(text: string): string {
	return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const TOKEN = /^(?:(\d+(?:,\d+)*)(?:\.(\d+))?|([十百千万億兆]))/;
const GROUPED = /^\d{1,3}(?:,\d{3})*$/;

/** A value is a short text; anything longer is refused before any pattern runs over it. */
const MAX_VALUE_TEXT = 100;

export function parseJapaneseNumber(text: string): { value: number; unit: string } {
	if (text.length > MAX_VALUE_TEXT)
		throw new NumberFormatError(text.slice(0, 20) + '…', '長すぎます');
	// The PDF breaks digits with spaces anywhere, so no space is meaningful inside a value.
	let rest = halfWidth(text).replace(/\s+/g, '');
	if (rest === '') throw new NumberFormatError(text, '空欄です');

	let total = 0;
	let group = 0;
	let pending: number | null = null;
	let sawNumber = false;
	let lastSmall = Infinity;
	let lastBig = Infinity;

	for (let match = TOKEN.exec(rest); match; match = TOKEN.exec(rest)) {
		const [token, digits, fraction, unitChar] = match;
		rest = rest.slice(token.length);
		if (digits !== undefined) {
			if (digits.includes(',') && !GROUPED.test(digits)) {
				throw new NumberFormatError(text, `桁区切り「${digits}」の位置が正しくありません`);
			}
			pending = Number(`${digits.replaceAll(',', '')}.${fraction ?? '0'}`);
			sawNumber = true;
			continue;
		}
		const unit = unitChar ?? '';
		const small = SMALL_UNITS[unit];
		if (small !== undefined) {
			if (pending === null) throw new NumberFormatError(text, `「${unit}」の前に数字がありません`);
			if (small >= lastSmall) {
				throw new NumberFormatError(text, `「${unit}」の位置が正しくありません`);
			}
			group += pending * small;
			lastSmall = small;
			pending = null;
			continue;
		}
		const big = BIG_UNITS[unit] ?? 1;
		if (pending === null && lastSmall === Infinity) {
			throw new NumberFormatError(text, `「${unit}」の前に数字がありません`);
		}
		if (big >= lastBig) throw new NumberFormatError(text, `「${unit}」の位置が正しくありません`);
		total += (group + (pending ?? 0)) * big;
		lastBig = big;
		group = 0;
		lastSmall = Infinity;
		pending = null;
	}

	if (!sawNumber) throw new NumberFormatError(text, '数字がありません');
	if (/[\d.,()十百千万億兆]/.test(rest)) {
		throw new NumberFormatError(text, `数値の後ろの「${rest}」が単位として読めません`);
	}
	const value = total + group + (pending ?? 0);
	if (!Number.isFinite(value)) throw new NumberFormatError(text, '大きすぎます');
	return { value: roundFloatNoise(value), unit: rest };
}

// 1.1億 is 1.1 × 1e8 = 110000000.00000001 in binary floating point; 15 significant digits are
// always exact for a double, so rounding there removes the noise and nothing the text said.
function roundFloatNoise(value: number): number {
	return Number.isInteger(value) ? value : Number(value.toPrecision(15));
}

const WITH_ACTUAL = /^([^()]*?)\s*(?:\(([^()]*)\))?$/;

/** A KPI year cell: the year's target, then the actual in parentheses once it is known. */
export function parseValueWithActual(text: string): {
	target: number;
	actual: number | null;
	unit: string;
} {
	if (text.length > MAX_VALUE_TEXT)
		throw new NumberFormatError(text.slice(0, 20) + '…', '長すぎます');
	const match = WITH_ACTUAL.exec(halfWidth(text).trim());
	if (!match) throw new NumberFormatError(text, '括弧の使い方が正しくありません');
	const [, targetText = '', actualText] = match;
	if (targetText.trim() === '') throw new NumberFormatError(text, '目標値がありません');
	const target = part(text, '目標', targetText);
	if (actualText === undefined) return { target: target.value, actual: null, unit: target.unit };
	const actual = part(text, '実績', actualText);
	if (actual.unit !== target.unit) {
		throw new NumberFormatError(
			text,
			`目標の単位「${target.unit}」と実績の単位「${actual.unit}」が違います`
		);
	}
	return { target: target.value, actual: actual.value, unit: target.unit };
}

/** Reads one part of a cell, reporting a failure against the whole cell. */
function part(cell: string, name: string, text: string): { value: number; unit: string } {
	try {
		return parseJapaneseNumber(text);
	} catch (error) {
		if (!(error instanceof NumberFormatError)) throw error;
		throw new NumberFormatError(cell, `${name}「${text.trim()}」: ${error.reason}`);
	}
}
