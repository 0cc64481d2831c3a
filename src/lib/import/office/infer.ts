// Importing an office's own 進行管理表 from its grids (sheets of an .xlsx, or a PDF's pages): find
// the header, infer the mapping (column roles, periods, mark scale, fiscal year, title), read the
// rows, and build the table — or build it with a mapping the preview or `--map` corrected.
import { warekiLabel } from '../../model/fiscal-year.ts';
import { markOf } from '../../model/marks.ts';
import { SCHEMA_VERSION, sheetSchema, type SheetJSON } from '../../model/schema.ts';
import { MARK_PRESETS } from '../../model/shape-presets.ts';
import { sheetProblems } from '../../model/sheet-shape.ts';
import { LIMITS, type Tone } from '../../model/shape.ts';
import { findFiscalYear, findPlanName } from '../text-lines.ts';
import { STANDARD_HEADINGS } from '../../export/xlsx-layout.ts';
import { assemble } from './assemble.ts';
import { OfficeImportError } from './errors.ts';
import { cellAt, filledColumns, squash, tidy, type Grid, where } from './grid.ts';
import { HEADER_SCAN_ROWS, findHeader, headerAt, type Header } from './header.ts';
import { findKpis } from './kpis.ts';
import { mappingProblems, parseMapping, type ImportMapping } from './mapping.ts';
import { describeIssue, fieldLabel, issueContext } from '../schema-issue.ts';
import { readRows, type Entry, type Warning } from './rows.ts';
import { parseLegend, splitHeading, toneOfLabel } from './words.ts';

export { OfficeImportError };

export interface OfficeImport {
	sheet: SheetJSON;
	/** The mapping used: inferred, or the one given. */
	mapping: ImportMapping;
	warnings: Warning[];
	counts: { headings: number; items: number; kpis: number };
	/** ※ notes found (※括弧は年度実績 …), with where. */
	notes: { text: string; where: string }[];
	/** The grids read, so the preview can read them again with a corrected mapping. */
	grids: Grid[];
}

const LEVEL_LABELS: Record<number, string[]> = {
	1: ['施策'],
	2: ['基本計画', '施策'],
	3: ['基本目標', '施策', '事業']
};

/**
 * Reads the table from an office's grids: by the mapping given (the preview's or --map's), else
 * by the one inferred. `notices` are said among the warnings (sheets left out when read).
 */
export function importGrids(
	grids: Grid[],
	given?: ImportMapping,
	notices: string[] = []
): OfficeImport {
	if (given) {
		const checked = parseMapping(given);
		if (typeof checked === 'string') throw new OfficeImportError(checked);
	}
	const warnings: Warning[] = notices.map((message) => ({ where: '', message }));
	const found = given ? givenTables(grids, given, warnings) : foundTables(grids, warnings);
	const first = found[0]!;
	const entries: Entry[] = [];
	const legends: { mark: string; label: string }[][] = [];
	const notes: { text: string; where: string }[] = [];
	const ends = new Map<Grid, number>();
	const top = aboveHeader(first.grid, first.header.row);

	// The mapping's shape of columns and periods first: reading rows needs it, the scale does not.
	const draft: ImportMapping = given ?? {
		sheets: found.map(({ grid, header, offset }) => ({
			name: grid.name,
			headerRow: header.row + 1,
			...(offset === 0 ? {} : { columnOffset: offset })
		})),
		headerRows: first.header.rows,
		columns: first.header.columns,
		periods: first.header.periods,
		marks: [],
		fiscalYear: 0,
		title: '',
		levelLabels: LEVEL_LABELS[2]!
	};
	for (const { grid, header, offset } of found) {
		// Headings may sit above each sheet's header (a sheet per 基本目標), as well as inside it.
		const above = grid === first.grid ? top : aboveHeader(grid, header.row);
		const shifted = {
			...draft,
			columns: draft.columns.map((c) => ({ ...c, column: c.column + offset }))
		};
		const rows = readRows(grid, { ...header, columns: shifted.columns }, shifted, offset);
		entries.push(...above.headings, ...rows.entries);
		legends.push(...above.legends, ...rows.legends);
		notes.push(...above.notes, ...rows.notes);
		warnings.push(...rows.warnings);
		ends.set(grid, rows.end);
	}

	const title = given?.title || top.title || first.grid.name;
	const mapping: ImportMapping = given ?? {
		...draft,
		marks: inferScale(entries, legends, warnings),
		fiscalYear: inferFiscalYear(title, first, warnings),
		title: title.slice(0, 500)
	};
	const problems = mappingProblems(mapping);
	if (problems.length > 0)
		throw new OfficeImportError(
			`${where(first.grid, first.header.row)}の見出し: ${problems.join(' ')}`,
			{
				mapping,
				grids
			}
		);

	const labels = columnLabels(mapping);
	const built = assemble(entries, mapping, first.grid.name, Object.values(labels));
	warnings.push(...built.warnings);
	const items = built.pillars.flatMap((p) => p.sections.flatMap((s) => s.items)).length;
	if (items === 0)
		throw new OfficeImportError(
			`${where(first.grid, first.header.row)}の見出しの下に、取り組み項目の行がありません（取り組み項目の列「${mapping.columns.find((c) => c.role === 'title')?.header ?? ''}」に文字のある行を探しました）。`,
			{ mapping, grids }
		);
	if (!given || given.levelLabels.length !== built.levels)
		mapping.levelLabels = LEVEL_LABELS[built.levels]!;

	const kpiGrids = [...found.map((f) => f.grid), ...grids.filter((g) => !ends.has(g))];
	const kpis = findKpis(kpiGrids, ends);
	if (kpis) {
		warnings.push(...kpis.warnings);
		notes.push(...kpis.notes);
	}
	for (const grid of grids)
		if (!ends.has(grid) && grid !== kpis?.grid && grid.rows.some((r) => r.some((c) => c !== '')))
			warnings.push({
				where: '',
				message: `シート「${grid.name}」は、取り込んだ表と同じ見出しの行がないため読みませんでした。`
			});

	const sheet: SheetJSON = {
		schemaVersion: SCHEMA_VERSION,
		title: mapping.title.slice(0, 500),
		planName: findPlanName(mapping.title),
		organisation: '',
		fiscalYear: mapping.fiscalYear,
		levelLabels: mapping.levelLabels,
		periodLabels: mapping.periods,
		markScale: withKeys(mapping.marks.map(({ mark, label, tone }) => ({ mark, label, tone }))),
		departments: built.departments,
		columnLabels: labels,
		extraColumns: built.extraColumns,
		pillars: built.pillars,
		kpis: kpis?.kpis ?? []
	};
	const parsed = sheetSchema.safeParse(sheet);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new OfficeImportError(
			`取り込んだ表が保存できる形になりません（${fieldLabel(issue.path)}: ${describeIssue(issue, issueContext(sheet))}）`,
			{ mapping, grids }
		);
	}
	const bad = sheetProblems(parsed.data, 1)[0];
	if (bad) throw new OfficeImportError(bad.message, { mapping, grids });
	const headings =
		built.pillars.length +
		built.pillars.flatMap((p) => p.sections).filter((s) => s.title !== '').length;
	return {
		sheet: parsed.data,
		mapping,
		warnings,
		counts: { headings, items, kpis: sheet.kpis.length },
		notes,
		grids
	};
}

interface Found {
	grid: Grid;
	header: Header;
	/** Columns right of the first table's (a sheet that starts at column B: 1). */
	offset: number;
}

/**
 * The grids holding the table: the one whose header names the most columns (a summary sheet
 * first in the workbook does not win over the table), and every other whose columns have the
 * same roles in the same order, in workbook order. Sheets with another header are said.
 */
function foundTables(grids: Grid[], warnings: Warning[]): Found[] {
	const headers = grids.map((grid) => ({ grid, header: findHeader(grid) }));
	const candidates = headers.filter((h): h is { grid: Grid; header: Header } => h.header !== null);
	if (candidates.length === 0) {
		const names = grids.map((g) => `「${g.name}」`).join('');
		throw new OfficeImportError(
			`進行管理表が見つかりません。${names}の先頭${HEADER_SCAN_ROWS}行で、取り組み項目（事業名）・具体的内容・担当課・期間（～6月、上半期 など）・評価 のような列名が三つ以上並ぶ見出しの行を探しました。`
		);
	}
	const best = candidates.reduce((a, b) => (b.header.score > a.header.score ? b : a));
	const found: Found[] = [];
	for (const c of candidates) {
		const offset = firstColumn(c.header) - firstColumn(best.header);
		if (c === best || signature(c.header) === signature(best.header)) found.push({ ...c, offset });
		else
			warnings.push({
				where: where(c.grid, c.header.row),
				message: `シート「${c.grid.name}」の見出し（${describe(c.header)}）は、シート「${best.grid.name}」の表と列が違うため読みませんでした。`
			});
	}
	return found;
}

function firstColumn(header: Header): number {
	return header.columns.find((c) => c.role !== 'ignore')?.column ?? 1;
}

/** The roles of a header's columns in order, wherever they start. */
function signature(header: Header): string {
	return header.columns
		.filter((c) => c.role !== 'ignore')
		.map((c) => `${c.role}:${c.period ?? ''}`)
		.join('|');
}

function describe(header: Header): string {
	return header.columns
		.filter((c) => c.role !== 'ignore')
		.map((c) => c.header)
		.join('・')
		.slice(0, 80);
}

function givenTables(grids: Grid[], mapping: ImportMapping, warnings: Warning[]): Found[] {
	return mapping.sheets.map(({ name, headerRow, columnOffset }) => {
		const grid = grids.find((g) => g.name === name);
		if (!grid)
			throw new OfficeImportError(
				`対応表のシート「${name}」がファイルにありません（${grids.map((g) => `「${g.name}」`).join('')}）。`
			);
		if (headerRow > grid.rows.length)
			throw new OfficeImportError(`対応表の見出しの行 ${headerRow} はシート「${name}」の外です。`);
		const header = headerAt(grid, headerRow - 1);
		// A mapping saved from another file (or another quarter's PDF, its lines shifted) may name
		// a row that is not the header here: said, so the rows read are not taken on trust.
		const named = mapping.columns.filter((c) => c.role !== 'ignore' && c.header !== '');
		const same = named.filter((c) =>
			header.columns.some(
				(h) => h.column === c.column + (columnOffset ?? 0) && squash(h.header) === squash(c.header)
			)
		);
		if (named.length > 0 && same.length < named.length / 2)
			warnings.push({
				where: where(grid, headerRow - 1),
				message: `対応表の見出しの行（${headerRow}行目）が対応表の見出しと違います。行がずれていないか確かめてください。`
			});
		return { grid, header: { ...header, rows: mapping.headerRows }, offset: columnOffset ?? 0 };
	});
}

/** The rows above the header: the title, headings written there, legends and notes. */
function aboveHeader(grid: Grid, headerRow: number) {
	const out = {
		title: '',
		headings: [] as Entry[],
		legends: [] as { mark: string; label: string }[][],
		notes: [] as { text: string; where: string }[]
	};
	const texts: string[] = [];
	for (let r = 0; r < headerRow; r++) {
		const filled = filledColumns(grid, r);
		if (filled.length === 0) continue;
		const text = tidy(filled.map((c) => cellAt(grid, r, c)).join(' '));
		const legend = parseLegend(text);
		if (legend) out.legends.push(legend);
		else if (/^[※＊*]/.test(text)) out.notes.push({ text, where: where(grid, r, filled[0]) });
		else if (/^[<＜〈《【].*[>＞〉》】]$/.test(text)) continue;
		else if (
			filled.length === 1 &&
			splitHeading(text).style !== 'plain' &&
			(texts.length > 0 || !/進行管理|年度/.test(text))
		)
			out.headings.push({
				kind: 'heading',
				...splitHeading(text),
				where: where(grid, r, filled[0])
			});
		else texts.push(text.replace(/\n/g, ' '));
	}
	out.title = texts.find((t) => /進行管理|年度/.test(t)) ?? texts[0] ?? '';
	return out;
}

function inferFiscalYear(title: string, first: Found, warnings: Warning[]): number {
	const candidates = [title, ...first.header.columns.map((c) => c.header), first.grid.name];
	for (const text of candidates) {
		const year = tableYear(text);
		if (year !== null) return year;
	}
	const now = new Date();
	const year = now.getMonth() < 3 ? now.getFullYear() - 1 : now.getFullYear();
	warnings.push({
		where: where(first.grid, 0),
		message: `表題「${title}」や見出しから年度が読み取れないため、${warekiLabel(year)}とします（例: 令和2年度）。`
	});
	return year;
}

/** The scale: a legend's, else the preset that holds every mark found, else the marks found. */
function inferScale(
	entries: Entry[],
	legends: { mark: string; label: string }[][],
	warnings: Warning[]
): ImportMapping['marks'] {
	const counts = new Map<string, number>();
	for (const e of entries)
		if (e.kind === 'item')
			for (const { text } of e.marks.values()) counts.set(text, (counts.get(text) ?? 0) + 1);
	const texts = [...counts.keys()];
	const fits = (marks: string[]) => (t: string) =>
		markOf(t, marks) !== null ||
		markOf(squash(t), marks) !== null ||
		markOf(squash(t).toUpperCase(), marks) !== null;
	// A legend is the scale only if it names the marks the table holds (作成：… 更新日：… does not).
	const legend = legends.find((l) => texts.every(fits(l.map((e) => e.mark))));
	if (legend) {
		return legend.slice(0, LIMITS.marks.max).map((e, i, all) => ({
			mark: e.mark.slice(0, LIMITS.mark),
			label: e.label.slice(0, LIMITS.label),
			tone: toneOfLabel(e.label) ?? toneByPlace(i, all.length)
		}));
	}
	for (const preset of MARK_PRESETS) {
		if (texts.every(fits(preset.marks.map((m) => m.mark))))
			return preset.marks.map(({ mark, label, tone }) => ({ mark, label, tone }));
	}
	// Marks no preset knows: themselves as their names, most used first, tones by their words.
	const own = texts
		.filter((t) => [...t].length <= LIMITS.mark)
		.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))
		.slice(0, LIMITS.marks.max)
		.sort((a, b) => (/^[A-Z]$/i.test(a) && /^[A-Z]$/i.test(b) ? rank(a) - rank(b) : 0));
	warnings.push({
		where: '',
		message: `評価の記号「${own.join(' ')}」の意味が分からないため、記号をそのまま名前にしました。プレビューか取り込んだ後の設定で直せます。`
	});
	return own.map((mark, i) => ({
		mark,
		label: mark,
		tone: toneOfLabel(mark) ?? toneByPlace(i, own.length)
	}));
}

function rank(letter: string): number {
	const l = letter.toUpperCase();
	return l === 'S' ? -1 : l.charCodeAt(0);
}

function toneByPlace(i: number, n: number): Tone {
	if (n <= 1 || i === 0) return 'good';
	if (i === n - 1) return 'behind';
	return i < n / 2 ? 'good' : 'partly';
}

/** Keys for typing a mark: a preset's own, else the mark's letter, else its place. */
function withKeys(marks: ImportMapping['marks']): SheetJSON['markScale'] {
	const preset = MARK_PRESETS.find(
		(p) => p.marks.length === marks.length && p.marks.every((m, i) => m.mark === marks[i]!.mark)
	);
	const used = new Set<string>();
	return marks.map((m, i) => {
		let key =
			preset?.marks[i]!.key ??
			(/^[A-Za-z]$/.test(m.mark) ? m.mark.toLowerCase() : i < 9 ? String(i + 1) : '');
		if (used.has(key)) key = '';
		if (key) used.add(key);
		return { ...m, key };
	});
}

/** The standard columns' headers, kept where they differ from the usual names. */
function columnLabels(mapping: ImportMapping): SheetJSON['columnLabels'] {
	const out: SheetJSON['columnLabels'] = {};
	for (const key of ['title', 'content', 'note'] as const) {
		const header = mapping.columns.find((c) => c.role === key)?.header.replace(/\s+/g, '') ?? '';
		if (header !== '' && header !== STANDARD_HEADINGS[key] && [...header].length <= LIMITS.label)
			out[key] = header;
	}
	return out;
}

/**
 * The year a title names for its table: the last one not inside a plan's span (第2次総合計画
 * （令和2年度～令和6年度）令和5年度進行管理表 is 令和5年度), else the first.
 */
function tableYear(text: string): number | null {
	const squashed = squash(text);
	const year = '(?:(?:令和|平成|R|H)(?:元|\\d{1,2})|\\d{4})年度?';
	const outside = squashed
		.replace(/[(（][^)）]*[)）]/g, ' ')
		.replace(new RegExp(`${year}[~〜～]${year}`, 'gi'), ' ');
	const years = [...outside.matchAll(/(?:(?:令和|平成|R|H)(?:元|\d{1,2})|\d{4})年度/gi)];
	const last = years.at(-1);
	return (last ? findFiscalYear(last[0]) : null) ?? findFiscalYear(text);
}
