// Importing an office's own 進行管理表 from its grids (sheets of an .xlsx, or a PDF's pages): find
// the header, infer the mapping (column roles, periods, mark scale, fiscal year, title), read the
// rows, and build the table — or build it with a mapping the preview or `--map` corrected.
import { markOf } from '../../model/marks.ts';
import { SCHEMA_VERSION, sheetSchema, type SheetJSON } from '../../model/schema.ts';
import { MARK_PRESETS } from '../../model/shape-presets.ts';
import { sheetProblems } from '../../model/sheet-shape.ts';
import { LIMITS, type Tone } from '../../model/shape.ts';
import { findFiscalYear, findPlanName } from '../text-lines.ts';
import { assemble } from './assemble.ts';
import { OfficeImportError } from './errors.ts';
import { cellAt, filledColumns, squash, tidy, type Grid, where } from './grid.ts';
import { HEADER_SCAN_ROWS, findHeader, headerAt, type Header } from './header.ts';
import { findKpis } from './kpis.ts';
import { mappingProblems, type ImportMapping } from './mapping.ts';
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

export function importGrids(grids: Grid[], given?: ImportMapping): OfficeImport {
	const found = given ? givenTables(grids, given) : foundTables(grids);
	const first = found[0]!;
	const warnings: Warning[] = [];
	const entries: Entry[] = [];
	const legends: { mark: string; label: string }[][] = [];
	const notes: { text: string; where: string }[] = [];
	const ends = new Map<Grid, number>();
	const top = aboveHeader(first.grid, first.header.row);

	// The mapping's shape of columns and periods first: reading rows needs it, the scale does not.
	const draft: ImportMapping = given ?? {
		sheets: found.map(({ grid, header }) => ({ name: grid.name, headerRow: header.row + 1 })),
		headerRows: first.header.rows,
		columns: first.header.columns,
		periods: first.header.periods,
		marks: [],
		fiscalYear: 0,
		title: '',
		levelLabels: []
	};
	for (const { grid, header } of found) {
		// Headings may sit above each sheet's header (a sheet per 基本目標), as well as inside it.
		const above = grid === first.grid ? top : aboveHeader(grid, header.row);
		const rows = readRows(grid, { ...header, columns: draft.columns }, draft);
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
		title
	};
	const problems = mappingProblems(mapping);
	if (problems.length > 0) throw new OfficeImportError(problems.join(' '));

	const built = assemble(entries, mapping, first.grid.name);
	warnings.push(...built.warnings);
	const items = built.pillars.flatMap((p) => p.sections.flatMap((s) => s.items)).length;
	if (items === 0)
		throw new OfficeImportError(
			`${where(first.grid, first.header.row)}の見出しの下に、取り組み項目の行がありません（取り組み項目の列「${mapping.columns.find((c) => c.role === 'title')?.header ?? ''}」に文字のある行を探しました）。`
		);
	if (!given || given.levelLabels.length !== built.levels)
		mapping.levelLabels = LEVEL_LABELS[built.levels]!;

	const kpiGrids = [...found.map((f) => f.grid), ...grids.filter((g) => !ends.has(g))];
	const kpis = findKpis(kpiGrids, ends);
	if (kpis) {
		warnings.push(...kpis.warnings);
		notes.push(...kpis.notes);
	}

	const sheet: SheetJSON = {
		schemaVersion: SCHEMA_VERSION,
		title: mapping.title.slice(0, 500),
		planName: findPlanName(mapping.title),
		organisation: '',
		fiscalYear: mapping.fiscalYear,
		levelLabels: mapping.levelLabels,
		periodLabels: mapping.periods,
		markScale: withKeys(mapping.marks),
		departments: built.departments,
		columnLabels: columnLabels(mapping),
		extraColumns: built.extraColumns,
		pillars: built.pillars,
		kpis: kpis?.kpis ?? []
	};
	const parsed = sheetSchema.safeParse(sheet);
	if (!parsed.success)
		throw new OfficeImportError(
			`取り込んだ表が保存できる形になりません: ${parsed.error.issues[0]?.message ?? ''}`
		);
	const bad = sheetProblems(parsed.data, 1)[0];
	if (bad) throw new OfficeImportError(bad.message);
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
}

/** The grids holding the table: the first with a header, and every other with the same header. */
function foundTables(grids: Grid[]): Found[] {
	const found: Found[] = [];
	for (const grid of grids) {
		const header = findHeader(grid);
		if (!header) continue;
		const first = found[0];
		if (first && signature(header) !== signature(first.header)) continue;
		found.push({ grid, header });
	}
	if (found.length === 0) {
		const names = grids.map((g) => `「${g.name}」`).join('');
		throw new OfficeImportError(
			`進行管理表が見つかりません。${names}の先頭${HEADER_SCAN_ROWS}行で、取り組み項目（事業名）・具体的内容・担当課・期間（～6月、上半期 など）・評価 のような列名が三つ以上並ぶ見出しの行を探しました。`
		);
	}
	return found;
}

function signature(header: Header): string {
	return header.columns
		.filter((c) => c.role !== 'ignore')
		.map((c) => `${c.column}:${c.role}:${squash(c.header)}`)
		.join('|');
}

function givenTables(grids: Grid[], mapping: ImportMapping): Found[] {
	return mapping.sheets.map(({ name, headerRow }) => {
		const grid = grids.find((g) => g.name === name);
		if (!grid)
			throw new OfficeImportError(
				`対応表のシート「${name}」がファイルにありません（${grids.map((g) => `「${g.name}」`).join('')}）。`
			);
		if (headerRow > grid.rows.length)
			throw new OfficeImportError(`対応表の見出しの行 ${headerRow} はシート「${name}」の外です。`);
		const header = headerAt(grid, headerRow - 1);
		return { grid, header: { ...header, rows: mapping.headerRows } };
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
		else if (texts.length > 0 && filled.length === 1 && splitHeading(text).style !== 'plain')
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
		const year = findFiscalYear(text);
		if (year !== null) return year;
	}
	const now = new Date();
	const year = now.getMonth() < 3 ? now.getFullYear() - 1 : now.getFullYear();
	warnings.push({
		where: where(first.grid, 0),
		message: `表題「${title}」や見出しから年度が読み取れないため、${year}年度とします（例: 令和2年度）。`
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
	const legend = legends[0];
	if (legend) {
		const scale = legend.slice(0, LIMITS.marks.max).map((e, i, all) => ({
			mark: e.mark.slice(0, LIMITS.mark),
			label: e.label.slice(0, LIMITS.label),
			tone: toneOfLabel(e.label) ?? toneByPlace(i, all.length)
		}));
		return scale;
	}
	for (const preset of MARK_PRESETS) {
		const marks = preset.marks.map((m) => m.mark);
		if (texts.every((t) => markOf(t, marks) !== null || markOf(squash(t), marks) !== null))
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
	const usual: Record<string, string> = {
		title: '取り組み項目',
		content: '具体的内容',
		note: '達成状況及び今後の方針'
	};
	const out: SheetJSON['columnLabels'] = {};
	for (const key of ['title', 'content', 'note'] as const) {
		const header = mapping.columns.find((c) => c.role === key)?.header.replace(/\s+/g, '') ?? '';
		if (header !== '' && header !== usual[key] && [...header].length <= LIMITS.label)
			out[key] = header;
	}
	return out;
}
