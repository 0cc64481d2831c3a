// Reads a JSON backup (the SheetJSON as sheetToJson writes it). The text may come from anywhere,
// so size, depth and keys are checked before the schema: nothing can hang the parser, blow the
// stack, or reach Object.prototype through a "__proto__" key. A version 1 backup (four quarters,
// ○ ◎ △ × —) is read by its own schema and brought up to version 2; either way the items must
// then fit the sheet's shape (sheetProblems).
import { SCHEMA_VERSION, sheetSchema, sheetV1Schema, type SheetJSON } from '../model/schema.ts';
import { sheetProblems, upgradeSheetV1 } from '../model/sheet-shape.ts';
import { MAX_ITEMS } from './limits.ts';
import { describeIssue, issueContext, issuePath } from './schema-issue.ts';

export class JsonImportError extends Error {
	/** Where the problem is, e.g. pillars[0].sections[2].items[1].marks[3]; '' for the whole text. */
	readonly path: string;

	constructor(path: string, detail: string) {
		super(path === '' ? detail : `${path}: ${detail}`);
		this.name = 'JsonImportError';
		this.path = path;
	}
}

export const JSON_LIMITS = {
	maxBytes: 20 * 1024 * 1024,
	maxDepth: 32,
	maxItems: MAX_ITEMS
} as const;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseJsonBackup(text: string): SheetJSON {
	if (utf8Length(text) > JSON_LIMITS.maxBytes) {
		throw new JsonImportError(
			'',
			`ファイルが大きすぎます（${JSON_LIMITS.maxBytes / 1024 / 1024} MB まで）`
		);
	}
	const source = text.replace(/^\uFEFF/, '');
	checkDepth(source);

	let value: unknown;
	try {
		value = JSON.parse(source);
	} catch (error) {
		throw new JsonImportError('', `JSON として読めません${where(source, error)}`);
	}
	checkKeys(value, '', 0);
	checkItemCount(value);

	const sheet = fitted(value);
	const [problem] = sheetProblems(sheet, 1);
	if (problem) throw new JsonImportError(problem.path, problem.message);
	return sheet;
}

/** The value as a version 2 sheet, by the schema of the version it says it is. */
function fitted(value: unknown): SheetJSON {
	const version =
		value !== null && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>).schemaVersion
			: undefined;
	if (typeof version === 'number' && version > SCHEMA_VERSION) {
		throw new JsonImportError(
			'schemaVersion',
			`この形式の版（${version}）は読めません。新しい Shinko で取り込んでください`
		);
	}
	const result =
		version === 1
			? sheetV1Schema.safeParse(value, { reportInput: true })
			: sheetSchema.safeParse(value, { reportInput: true });
	if (result.success)
		return result.data.schemaVersion === 1 ? upgradeSheetV1(result.data) : result.data;
	const issue = result.error.issues[0];
	if (!issue) throw new JsonImportError('', '表の形に合いません');
	return fail(issue.path, describeIssue(issue, issueContext(value)));
}

function fail(path: readonly PropertyKey[], detail: string): never {
	throw new JsonImportError(issuePath(path), detail);
}

/** UTF-8 size without allocating a copy of a text that may be huge. */
function utf8Length(text: string): number {
	if (text.length > JSON_LIMITS.maxBytes) return text.length;
	if (text.length * 3 <= JSON_LIMITS.maxBytes) return text.length * 3;
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xdc00 ? 4 : 3;
		if (code >= 0xd800 && code < 0xdc00) i++;
	}
	return bytes;
}

/** Nesting counted on the raw text, so a hostile depth is refused before anything recurses. */
function checkDepth(text: string): void {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (inString) {
			if (char === '\\') i++;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '{' || char === '[') {
			if (++depth > JSON_LIMITS.maxDepth) {
				throw new JsonImportError(
					'',
					`入れ子が深すぎます（${JSON_LIMITS.maxDepth}段まで。${lineColumn(text, i)}）`
				);
			}
		} else if (char === '}' || char === ']') depth--;
	}
}

function checkKeys(value: unknown, path: string, depth: number): void {
	if (depth > JSON_LIMITS.maxDepth) throw new JsonImportError(path, '入れ子が深すぎます');
	if (Array.isArray(value)) {
		value.forEach((element, index) => checkKeys(element, `${path}[${index}]`, depth + 1));
	} else if (value !== null && typeof value === 'object') {
		for (const key of Object.keys(value)) {
			const at = path === '' ? key : `${path}.${key}`;
			if (FORBIDDEN_KEYS.has(key)) throw new JsonImportError(at, `キー「${key}」は使えません`);
			checkKeys((value as Record<string, unknown>)[key], at, depth + 1);
		}
	}
}

function checkItemCount(value: unknown): void {
	const list = (node: unknown, key: string): unknown[] => {
		const child =
			node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : null;
		return Array.isArray(child) ? child : [];
	};
	let count = 0;
	for (const pillar of list(value, 'pillars')) {
		for (const section of list(pillar, 'sections')) count += list(section, 'items').length;
	}
	if (count > JSON_LIMITS.maxItems) {
		throw new JsonImportError(
			'pillars',
			`取り組み項目が多すぎます（${count}個。${JSON_LIMITS.maxItems}個まで）`
		);
	}
}

/** Where JSON.parse stopped, as far as its message tells (engines word it differently). */
function where(text: string, error: unknown): string {
	const message = error instanceof Error ? error.message : '';
	const position = /position (\d+)/.exec(message);
	if (position) return `（${lineColumn(text, Number(position[1]))}）`;
	const lineCol = /line (\d+) column (\d+)/.exec(message);
	if (lineCol) return `（${lineCol[1]}行目 ${lineCol[2]}文字目）`;
	if (/end of JSON input/.test(message)) return '（途中で終わっています）';
	const token = /Unexpected token '(.+?)'/.exec(message);
	if (token) return `（予期しない「${token[1]}」があります）`;
	return '';
}

function lineColumn(text: string, index: number): string {
	const before = text.slice(0, index);
	const line = before.split('\n').length;
	const column = index - before.lastIndexOf('\n');
	return `${line}行目 ${column}文字目`;
}
