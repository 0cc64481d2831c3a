// Imports a 進行管理表 from the tab-separated text a PDF extraction gives (see
// server/seed/r2-progress-table.txt). Strict on purpose: any line it cannot place is an error
// naming that line, so a table is never imported with rows silently lost or shifted.
//
// The text is the reference table's layout, so the sheet has the reference shape: four quarters
// (labelled as the header reads them), the marks ○ ◎ △ × —, 総務 and 事業, no added columns.
import { sheetProblems, sheetShapeFields } from '../model/sheet-shape.ts';
import { QUARTER_PERIODS, REFERENCE_SHAPE, type TableShape } from '../model/shape.ts';
import {
	QUARTER_LABELS,
	SCHEMA_VERSION,
	YEAR_PLANS,
	sheetSchema,
	type ItemJSON,
	type MarkCell,
	type PillarJSON,
	type SectionJSON,
	type SheetJSON
} from '../model/schema.ts';
import { MAX_ITEMS, TOO_MANY_ITEMS } from './limits.ts';
import { readKpis } from './text-kpis.ts';
import {
	HEADER_FIRST,
	KPI_MARKER,
	TextImportError,
	cells,
	collapseSpaces,
	compact,
	excerpt,
	findFiscalYear,
	findPlanName,
	found,
	matchPillar,
	matchSection,
	parseDepartments,
	parseMark,
	nextLine,
	splitItemNo,
	splitLines,
	type Cursor
} from './text-lines.ts';

export { TextImportError };

const ITEMS_MARKER = '<基本計画の取り組み>';
const MARKS_LABEL = '進行管理';
const ITEM_FIELDS = 9;
const QUARTERS = QUARTER_PERIODS.length;
const SCALE = REFERENCE_SHAPE.marks.map((m) => m.mark);

/** The reference shape with the quarters labelled as the text's header has them. */
function referenceShape(labels: string[]): TableShape {
	return {
		...REFERENCE_SHAPE,
		periods: QUARTER_PERIODS.map((period, q) => ({ ...period, label: labels[q] ?? period.label }))
	};
}

export function parseTextTable(text: string): SheetJSON {
	const cursor: Cursor = { lines: splitLines(text), next: 0 };
	const lineOf = new WeakMap<object, number>();

	const head = nextLine(cursor);
	if (!head) throw new TextImportError(1, 'テキストが空です（表題の行が必要です）');
	if (head.text.includes('\t') || compact(head.text).startsWith('<')) {
		throw new TextImportError(
			head.line,
			`表題の行が必要ですが「${excerpt(head.text)}」がありました`
		);
	}
	const title = collapseSpaces(head.text);
	const fiscalYear = findFiscalYear(title);
	if (fiscalYear === null) {
		throw new TextImportError(
			head.line,
			`表題「${title}」から年度が読み取れません（例: 令和2年度）`
		);
	}

	const marker = nextLine(cursor);
	if (!marker || compact(marker.text) !== ITEMS_MARKER) {
		throw new TextImportError(
			marker?.line ?? cursor.lines.length,
			`表題の次に「${ITEMS_MARKER}」の行が必要ですが${found(marker?.text)}`
		);
	}

	const items = readItems(cursor, lineOf);
	const kpis = items.kpiLine === null ? [] : readKpis(cursor, items.kpiLine, lineOf);
	const sheet: SheetJSON = {
		schemaVersion: SCHEMA_VERSION,
		title,
		planName: findPlanName(title),
		organisation: '',
		fiscalYear,
		...sheetShapeFields(referenceShape(items.quarterLabels)),
		pillars: items.pillars,
		kpis
	};
	lineOf.set(sheet, head.line);
	lineOf.set(sheet.periodLabels, items.headerLine ?? head.line);
	return validated(sheet, lineOf);
}

function readItems(cursor: Cursor, lineOf: WeakMap<object, number>) {
	const pillars: PillarJSON[] = [];
	let quarterLabels: string[] | null = null;
	let headerLine: number | null = null;
	let kpiLine: number | null = null;
	let itemCount = 0;

	for (let row = nextLine(cursor); row; row = nextLine(cursor)) {
		const { text, line } = row;
		if (compact(text) === KPI_MARKER) {
			kpiLine = line;
			break;
		}
		const fields = cells(text);
		const [first = ''] = fields;
		const pillar = pillars.at(-1);
		const section = pillar?.sections.at(-1);
		// A heading is a line of one cell, however many empty cells the extraction left after it.
		const alone = fields.slice(1).every((cell) => cell === '');
		const pillarHeading = alone ? matchPillar(first) : null;
		const sectionHeading = alone ? matchSection(first) : null;

		if (first === HEADER_FIRST) {
			// The header repeats at every page break; only its quarter labels matter.
			if (fields.length !== ITEM_FIELDS) {
				throw new TextImportError(
					line,
					`見出しの行の列が${fields.length}個あります（${ITEM_FIELDS}列のはずです）`
				);
			}
			const labels = fields.slice(4, 4 + QUARTERS).map(collapseSpaces);
			if (quarterLabels && labels.join() !== quarterLabels.join()) {
				throw new TextImportError(
					line,
					`見出しの四半期「${labels.join(' ')}」が前の見出し「${quarterLabels.join(' ')}」と違います`
				);
			}
			quarterLabels = labels;
			headerLine ??= line;
		} else if (fields.includes(MARKS_LABEL)) {
			throw new TextImportError(line, `この${MARKS_LABEL}の行の前に取り組み項目の行がありません`);
		} else if (pillarHeading) {
			const next: PillarJSON = { id: `p${pillars.length + 1}`, ...pillarHeading, sections: [] };
			lineOf.set(next, line);
			pillars.push(next);
		} else if (sectionHeading) {
			if (!pillar) {
				throw new TextImportError(
					line,
					`節「${first}」の前に柱の行（例: 1 会員の増強）がありません`
				);
			}
			const id = `${pillar.id}s${pillar.sections.length + 1}`;
			const next: SectionJSON = { id, ...sectionHeading, items: [] };
			lineOf.set(next, line);
			pillar.sections.push(next);
		} else if (fields.length === ITEM_FIELDS) {
			if (!section) {
				throw new TextImportError(
					line,
					`取り組み項目「${excerpt(first)}」の前に節の行（例: (1) 入会の促進）がありません`
				);
			}
			// Stopped here, not after the schema check: a huge table must not be built at all.
			if (itemCount === MAX_ITEMS) {
				throw new TextImportError(line, TOO_MANY_ITEMS);
			}
			const labels = quarterLabels ?? QUARTER_LABELS;
			const item = readItem(fields, line, `${section.id}i${section.items.length + 1}`);
			item.marks = readMarks(cursor, item, line, labels);
			lineOf.set(item, line);
			section.items.push(item);
			itemCount++;
		} else if (alone) {
			throw new TextImportError(
				line,
				`「${excerpt(text)}」は柱（例: 1 会員の増強）とも節（例: (1) 入会の促進）とも読めません`
			);
		} else {
			throw new TextImportError(
				line,
				`列が${fields.length}個あります（取り組み項目の行はタブ区切りで${ITEM_FIELDS}列です）`
			);
		}
	}

	for (const pillar of pillars) {
		if (pillar.sections.length === 0) {
			throw new TextImportError(lineOf.get(pillar) ?? 1, `柱「${pillar.title}」に節がありません`);
		}
		for (const section of pillar.sections) {
			if (section.items.length === 0) {
				const at = lineOf.get(section) ?? 1;
				throw new TextImportError(at, `節「${section.title}」に取り組み項目がありません`);
			}
		}
	}
	if (itemCount === 0) {
		throw new TextImportError(
			kpiLine ?? cursor.lines.length,
			'取り組み項目が1つもありません（柱・節・取り組み項目の行が必要です）'
		);
	}
	return { pillars, quarterLabels: quarterLabels ?? QUARTER_LABELS, headerLine, kpiLine };
}

function readItem(fields: string[], line: number, id: string): ItemJSON {
	const [first = '', content = '', departments = '', yearPlan = '', ...rest] = fields;
	const { no, title } = splitItemNo(first);
	if (title === '') throw new TextImportError(line, '取り組み項目の名前が空です');
	const plan = collapseSpaces(yearPlan);
	// 一部 実施 is 一部実施 split by the PDF; other plan words are kept as written.
	const knownPlan = YEAR_PLANS.find((known) => known === plan.replace(/\s+/g, ''));
	return {
		id,
		no,
		title,
		content,
		departments: parseDepartments(departments, line),
		yearPlan: knownPlan ?? plan,
		plans: [rest[0] ?? '', rest[1] ?? '', rest[2] ?? '', rest[3] ?? ''],
		marks: ['', '', '', ''],
		note: rest[4] ?? '',
		extra: {}
	};
}

/** The 進行管理 row that must follow every item: three empty cells, 進行管理, four marks. */
function readMarks(
	cursor: Cursor,
	item: ItemJSON,
	itemLine: number,
	labels: string[]
): ItemJSON['marks'] {
	const row = nextLine(cursor);
	const fields = row ? cells(row.text) : [];
	if (!row || !fields.includes(MARKS_LABEL)) {
		throw new TextImportError(
			itemLine,
			`取り組み項目「${item.no}${item.title}」の次に${MARKS_LABEL}の行がありません（${found(row?.text)}）`
		);
	}
	const at = fields.indexOf(MARKS_LABEL);
	// Cells after the marks must be empty; an editor may have stripped trailing tabs of blank marks.
	const extra = [...fields.slice(0, 3), ...fields.slice(8)].find(Boolean);
	if (at !== 3 || extra !== undefined) {
		const where =
			at !== 3 ? `「${MARKS_LABEL}」が${at + 1}列目にあります` : `「${extra}」が余分です`;
		throw new TextImportError(
			row.line,
			`${where}（${MARKS_LABEL}の行は空欄3つ、${MARKS_LABEL}、マーク4つの順のはずです）`
		);
	}
	const mark = (q: number): MarkCell =>
		parseMark(fields[4 + q] ?? '', row.line, labels[q] ?? '', SCALE);
	return [mark(0), mark(1), mark(2), mark(3)];
}

/**
 * Final check against the schema and the shape, reporting the line of the row whose value failed
 * (a problem with the quarters' labels: the header's line).
 */
function validated(sheet: SheetJSON, lineOf: WeakMap<object, number>): SheetJSON {
	const result = sheetSchema.safeParse(sheet);
	if (result.success) {
		const [problem] = sheetProblems(result.data, 1);
		if (!problem) return result.data;
		const line = lineOf.get(sheet.periodLabels) ?? lineOf.get(sheet) ?? 1;
		throw new TextImportError(line, `表の形に合いません（${problem.message}）`);
	}
	const issue = result.error.issues[0];
	let node: unknown = sheet;
	let line = lineOf.get(sheet) ?? 1;
	for (const key of issue?.path ?? []) {
		node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : null;
		if (node && typeof node === 'object') line = lineOf.get(node) ?? line;
	}
	const path = issue?.path.map(String).join('.') ?? '';
	throw new TextImportError(
		line,
		`表の形に合わない値があります（${path}: ${issue?.message ?? ''}）`
	);
}
