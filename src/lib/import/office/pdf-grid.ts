// A published PDF as one grid: on each page, the tables drawn with ruling lines give their cells
// (pdf-geometry.ts), the text's positions put each run in its cell, and lines outside any table
// (titles, headings, notes) become rows of one cell. Pages follow each other, so a table continued
// over a page break reads as one, its repeated header skipped like any repeated header.
import type { Grid, Merge } from './grid.ts';
import { OfficeImportError } from './errors.ts';
import { rulingsOf, tablesOf, type TableFrame } from './pdf-geometry.ts';

export const PDF_LIMITS = { pages: 300, textItems: 200_000 } as const;

interface Run {
	text: string;
	x: number;
	right: number;
	/** Top-down: the run's top and bottom on the page. */
	top: number;
	bottom: number;
	size: number;
}

// Fonts map some kanji to radicals that look the same (⽬ for 目, ⺠ for 民), and some marks to
// other code points (‧ for ・, 〜 for ～): the text is read as the characters a person sees.
const LOOK_ALIKES: Record<string, string> = {
	'\u2EA0': '民',
	'\u2ED1': '長',
	'\u2EC4': '西',
	'\u2ED8': '青',
	'\u2EDD': '食',
	'\u2EE4': '鬼',
	'\u2EE9': '黄',
	'\u2EEF': '竜',
	'\u2EF2': '亀',
	'\u2EEB': '斉',
	'\u2EC6': '角',
	'\u2EE8': '麦',
	'\u2EED': '歯',
	'\u2EC5': '見',
	'\u2027': '・',
	'\u301C': '～'
};

function unradical(text: string): string {
	return text.replace(
		/[\u2E80-\u2EFF\u2F00-\u2FDF\u2027\u301C]/g,
		(c) => LOOK_ALIKES[c] ?? c.normalize('NFKC')
	);
}

export async function pdfGrids(
	bytes: Uint8Array,
	name: string
): Promise<{ grids: Grid[]; skipped: string[] }> {
	// In Node pdf.js runs its worker in this thread; a browser sets GlobalWorkerOptions.workerSrc
	// first (ui/pdf-worker.ts), for its own worker beside the import's.
	const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
	let doc;
	try {
		doc = await pdfjs.getDocument({
			data: bytes.slice(),
			useSystemFonts: false,
			isEvalSupported: false,
			disableFontFace: true,
			verbosity: 0
		}).promise;
	} catch (error) {
		if (error instanceof Error && error.name === 'PasswordException')
			throw new OfficeImportError(
				'パスワードで保護された PDF は読めません。保護を外した PDF か、元の Excel のファイルを取り込んでください'
			);
		const detail = error instanceof Error ? error.message : String(error);
		throw new OfficeImportError(`PDF として読めません（${detail.slice(0, 200)}）`);
	}
	try {
		if (doc.numPages === 0) throw new OfficeImportError('PDF にページがありません');
		if (doc.numPages > PDF_LIMITS.pages)
			throw new OfficeImportError(
				`ページが多すぎます（${doc.numPages}ページ。${PDF_LIMITS.pages}ページまで）`
			);
		const pages: { rows: PageRow[]; height: number }[] = [];
		let textItems = 0;
		for (let n = 1; n <= doc.numPages; n++) {
			try {
				const page = await doc.getPage(n);
				const { width, height } = page.getViewport({ scale: 1 });
				const content = await page.getTextContent();
				const runs: Run[] = [];
				for (const item of content.items) {
					if (!('str' in item) || item.str.trim() === '') continue;
					if (++textItems > PDF_LIMITS.textItems)
						throw new OfficeImportError(
							`文字が多すぎます（${n}ページ目で${PDF_LIMITS.textItems}個を超えました）`
						);
					const [, , , d, e, f] = item.transform as number[];
					const size = Math.abs(d ?? 0) || item.height || 10;
					const bottom = height - (f ?? 0);
					runs.push({
						text: unradical(item.str),
						x: e ?? 0,
						right: (e ?? 0) + item.width,
						top: bottom - size,
						bottom,
						size
					});
				}
				const ops = await page.getOperatorList();
				const rulings = rulingsOf(ops.fnArray, ops.argsArray, pdfjs.OPS, height, width);
				pages.push({
					rows: pageToRows(runs, tablesOf(rulings.horizontal, rulings.vertical)),
					height
				});
				page.cleanup();
			} catch (error) {
				if (error instanceof OfficeImportError) throw error;
				const detail = error instanceof Error ? error.message : String(error);
				throw new OfficeImportError(`PDF の${n}ページ目が読めません（${detail.slice(0, 200)}）`);
			}
		}
		if (textItems === 0)
			throw new OfficeImportError(
				'この PDF には文字の情報がありません（スキャンした画像の PDF のようです）。文字を選択できる PDF か、元の Excel のファイルを取り込んでください'
			);
		const dropped = dropPageFurniture(pages);
		const rows: string[][] = [];
		const merges: Merge[] = [];
		const lines: { page: number; line: number }[] = [];
		pages.forEach((page, p) =>
			page.rows.forEach((row, i) => {
				const r = rows.length;
				rows.push(row.cells);
				lines.push({ page: p + 1, line: i + 1 });
				for (const m of row.merges) merges.push({ ...m, row: r + m.row });
			})
		);
		const skipped =
			dropped > 0
				? [
						`ページ番号・ヘッダー・フッター（各ページの余白に繰り返す行）${dropped}行は読みませんでした。`
					]
				: [];
		return { grids: [{ name, rows, merges, kind: 'pdf', lines }], skipped };
	} finally {
		await doc.destroy();
	}
}

const PAGE_NUMBER =
	/^(?:[-‐－–—]?\s*\d{1,4}\s*[-‐－–—]?|\d{1,4}\s*[/／]\s*\d{1,4}|p\.?\s*\d{1,4}|\d{1,4}\s*ページ|[(（]\s*\d{1,4}\s*[)）])$/i;

/**
 * Lines outside the tables that are the page's and not the table's: page numbers and print dates
 * in the top or bottom margin, and a line repeated at the same place on most pages (a running
 * title: its first time is kept). Removed from `pages`; how many is returned.
 */
function dropPageFurniture(pages: { rows: PageRow[]; height: number }[]): number {
	const key = (row: PageRow) => `${Math.round(row.top / 3)}|${squashText(row.cells[0] ?? '')}`;
	const seen = new Map<string, number>();
	for (const page of pages)
		for (const k of new Set(page.rows.filter((r) => r.free).map(key)))
			seen.set(k, (seen.get(k) ?? 0) + 1);
	const kept = new Set<string>();
	let dropped = 0;
	for (const page of pages) {
		page.rows = page.rows.filter((row) => {
			if (!row.free) return true;
			const text = (row.cells[0] ?? '').trim();
			const margin = row.top < page.height * 0.1 || row.top > page.height * 0.9;
			const pageLike = PAGE_NUMBER.test(text) || /(印刷日|出力日|作成日|印刷日時)/.test(text);
			const k = key(row);
			const repeated = pages.length >= 2 && (seen.get(k) ?? 0) >= Math.max(2, pages.length / 2);
			if ((margin && pageLike) || (repeated && kept.has(k))) {
				dropped++;
				return false;
			}
			if (repeated) {
				if (margin && PAGE_NUMBER.test(text)) {
					dropped++;
					return false;
				}
				kept.add(k);
			}
			return true;
		});
	}
	return dropped;
}

function squashText(text: string): string {
	return text.normalize('NFKC').replace(/\s+/g, '').replace(/\d+/g, '#');
}

interface PageRow {
	top: number;
	/** A line of text outside any table. */
	free: boolean;
	/** Where its table (or the line) starts, top then left, and its place in it: rows sort by it. */
	block: [number, number, number];
	cells: string[];
	/** Merges with `row` relative to this row. */
	merges: Merge[];
}

/** A page's rows, top to bottom: each table's rows of cells, and each line of text outside. */
function pageToRows(runs: Run[], tables: TableFrame[]): PageRow[] {
	const out: PageRow[] = [];
	const inTable = new Set<Run>();
	for (const table of tables) {
		const rows = table.ys.length - 1;
		const columns = table.xs.length - 1;
		const cells = new Map<string, Run[]>();
		for (const run of runs) {
			const cx = (run.x + run.right) / 2;
			const cy = (run.top + run.bottom) / 2;
			if (cx < table.left || cx > table.right || cy < table.top || cy > table.bottom) continue;
			// A run that starts in one cell belongs there even if it spills (a long word).
			const column = bandOf(table.xs, Math.min(cx, run.x + run.size / 2));
			const row = bandOf(table.ys, cy);
			if (column < 0 || row < 0) continue;
			inTable.add(run);
			const [mr, mc] = table.master(row, column);
			const key = `${mr},${mc}`;
			if (!cells.has(key)) cells.set(key, []);
			cells.get(key)!.push(run);
		}
		const spans = new Map<string, { rows: number; columns: number }>();
		for (let r = 0; r < rows; r++)
			for (let c = 0; c < columns; c++) {
				const [mr, mc] = table.master(r, c);
				const key = `${mr},${mc}`;
				const span = spans.get(key) ?? { rows: 1, columns: 1 };
				span.rows = Math.max(span.rows, r - mr + 1);
				span.columns = Math.max(span.columns, c - mc + 1);
				spans.set(key, span);
			}
		for (let r = 0; r < rows; r++) {
			const row: PageRow = {
				top: table.ys[r]!,
				free: false,
				block: [table.top, table.left, r],
				cells: Array<string>(columns).fill(''),
				merges: []
			};
			for (let c = 0; c < columns; c++) {
				const key = `${r},${c}`;
				const span = spans.get(key);
				if (!span) continue;
				const right = table.xs[c + span.columns]!;
				row.cells[c] = cellText(cells.get(key) ?? [], right);
				if (span.rows > 1 || span.columns > 1)
					row.merges.push({ row: 0, column: c, rows: span.rows, columns: span.columns });
			}
			out.push(row);
		}
	}
	for (const line of textLines(runs.filter((r) => !inTable.has(r))))
		out.push({
			top: line.top,
			free: true,
			block: [line.top, line.runs[0]?.x ?? 0, 0],
			cells: [joinRuns(line.runs)],
			merges: []
		});
	// A table's rows stay together: a second table beside it comes after it, not between its rows.
	return out.sort(
		(a, b) => a.block[0] - b.block[0] || a.block[1] - b.block[1] || a.block[2] - b.block[2]
	);
}

/** The band (between two boundaries) a position falls in, or -1. */
function bandOf(bounds: number[], at: number): number {
	for (let i = 0; i + 1 < bounds.length; i++)
		if (at >= bounds[i]! && at <= bounds[i + 1]!) return i;
	return -1;
}

/** Runs grouped into lines (by their vertical overlap), each left to right. */
function textLines(runs: Run[]): { top: number; runs: Run[] }[] {
	const sorted = [...runs].sort((a, b) => a.top - b.top || a.x - b.x);
	const lines: { top: number; bottom: number; runs: Run[] }[] = [];
	for (const run of sorted) {
		const line = lines.find((l) => {
			const overlap = Math.min(l.bottom, run.bottom) - Math.max(l.top, run.top);
			return overlap > Math.min(l.bottom - l.top, run.size) * 0.5;
		});
		if (line) {
			line.runs.push(run);
			line.top = Math.min(line.top, run.top);
			line.bottom = Math.max(line.bottom, run.bottom);
		} else lines.push({ top: run.top, bottom: run.bottom, runs: [run] });
	}
	for (const l of lines) l.runs.sort((a, b) => a.x - b.x);
	return lines.sort((a, b) => a.top - b.top);
}

const ASCII_WORD = /[A-Za-z0-9]$/;

/** A line's runs: a space where the PDF left a gap, none between runs that touch. */
function joinRuns(runs: Run[]): string {
	let out = '';
	let right = -Infinity;
	for (const run of runs) {
		const gap = run.x - right;
		if (out !== '' && gap > run.size * 0.3 && !out.endsWith(' ') && !run.text.startsWith(' '))
			out += ' ';
		out += run.text;
		right = run.right;
	}
	return out.trim();
}

/**
 * A cell's text: lines wrapped by the cell's width are joined without a space (Japanese has none;
 * two Latin words get one), a line that ends short of the edge ends with a line break.
 */
function cellText(runs: Run[], right: number): string {
	if (runs.length === 0) return '';
	let out = '';
	let last: { end: number; size: number } | null = null;
	for (const line of textLines(runs)) {
		const text = joinRuns(line.runs);
		const end = Math.max(...line.runs.map((r) => r.right));
		const size = Math.max(...line.runs.map((r) => r.size));
		if (last) {
			const wrapped = end > 0 && last.end >= right - last.size * 2.5;
			out += wrapped ? (ASCII_WORD.test(out) && /^[A-Za-z0-9]/.test(text) ? ' ' : '') : '\n';
		}
		out += text;
		last = { end, size };
	}
	return out;
}
