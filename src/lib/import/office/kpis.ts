// The plan-period targets (KPIs) of an office's file, found by their header wherever they are: on a
// sheet of their own or under the table. Values read as the table writes them: 2,034人,
// 9億7千万円, 2,600人 (2,252人) for a year's target and its actual.
import {
	NumberFormatError,
	parseJapaneseNumber,
	parseValueWithActual
} from '../../model/numbers.ts';
import type { KpiJSON } from '../../model/schema.ts';
import { findFiscalYear } from '../text-lines.ts';
import { cellAt, filledColumns, squash, tidy, type Grid, where } from './grid.ts';
import { KPI_TARGET, excerpt, looksLikeKpiHeader, type Warning } from './rows.ts';

interface KpiYear {
	label: string;
	fiscalYear: number;
	/** The column of its target (with the actual in brackets, if written so). */
	column?: number;
	/** A column of its actual alone. */
	actualColumn?: number;
}

export interface KpiTable {
	kpis: KpiJSON[];
	/** The sheet and row of its header, for the preview. */
	where: string;
	grid: Grid;
	notes: { text: string; where: string }[];
	warnings: Warning[];
}

/** The first KPI table in the grids, searching each from `from` (the table's end on its sheet). */
export function findKpis(grids: Grid[], from: Map<Grid, number>): KpiTable | null {
	for (const grid of grids) {
		for (let r = from.get(grid) ?? 0; r < grid.rows.length; r++) {
			const texts = filledColumns(grid, r).map((c) => cellAt(grid, r, c));
			if (looksLikeKpiHeader(texts)) return readKpis(grid, r);
		}
	}
	return null;
}

function readKpis(grid: Grid, headerRow: number): KpiTable {
	const out: KpiTable = { kpis: [], where: where(grid, headerRow), grid, notes: [], warnings: [] };
	const header = grid.rows[headerRow] ?? [];
	const columns = filledColumns(grid, headerRow);
	const nameColumn = columns[0]!;
	const find = (pattern: RegExp) =>
		columns.find((c) => c !== nameColumn && pattern.test(squash(header[c]!)));
	const targetColumn = find(KPI_TARGET);
	const unitColumn = find(/^単位$/);
	const baselineColumn = find(/(現状|基準|策定時|当初)/);
	// A year's column holds its target (and actual in brackets), or only its actual (令和5年度実績).
	const years: KpiYear[] = [];
	for (const c of columns) {
		if (c === baselineColumn || c === targetColumn) continue;
		const fiscalYear = findFiscalYear(header[c]!);
		if (fiscalYear === null) continue;
		const label = tidy(header[c]!).replace(/\s+/g, '');
		const actual = /実績/.test(label);
		let year = years.find((y) => y.fiscalYear === fiscalYear);
		if (!year) {
			year = { label: label.replace(/(目標|計画|実績)(値)?$/, ''), fiscalYear };
			years.push(year);
		}
		if (actual) year.actualColumn = c;
		else year.column = c;
	}

	let blanks = 0;
	for (let r = headerRow + 1; r < grid.rows.length && blanks < 3; r++) {
		const filled = filledColumns(grid, r);
		if (filled.length === 0) {
			blanks++;
			continue;
		}
		blanks = 0;
		const first = cellAt(grid, r, filled[0]!).trim();
		if (/^[※＊*]/.test(first)) {
			out.notes.push({ text: tidy(first), where: where(grid, r, filled[0]) });
			continue;
		}
		if (looksLikeKpiHeader(filled.map((c) => cellAt(grid, r, c)))) continue;
		const name = tidy(cellAt(grid, r, nameColumn))
			.replace(/^[0-9０-９]{1,3}[\s.．、]*/, '')
			.replace(/\s+/g, ' ');
		if (name === '') continue;
		if (out.kpis.length === 200) break;
		out.kpis.push(
			readKpi(grid, r, name, `k${out.kpis.length + 1}`, {
				baselineColumn,
				targetColumn,
				unitColumn,
				years,
				warnings: out.warnings,
				baselineLabel:
					baselineColumn === undefined ? '現状' : tidy(header[baselineColumn]!).replace(/\s+/g, ' ')
			})
		);
	}
	return out;
}

function readKpi(
	grid: Grid,
	row: number,
	name: string,
	id: string,
	at: {
		baselineColumn: number | undefined;
		targetColumn: number | undefined;
		unitColumn: number | undefined;
		years: KpiYear[];
		warnings: Warning[];
		baselineLabel: string;
	}
): KpiJSON {
	const units: string[] = [];
	const fixedUnit = at.unitColumn === undefined ? '' : tidy(cellAt(grid, row, at.unitColumn));
	const read = <T extends { unit: string }>(
		column: number | undefined,
		parse: (t: string) => T
	): T | null => {
		if (column === undefined) return null;
		const text = cellAt(grid, row, column).trim();
		if (text === '' || /^[-－—―ー]$/.test(text)) return null;
		try {
			const value = parse(text);
			if (value.unit !== '') units.push(value.unit);
			return value;
		} catch (error) {
			if (!(error instanceof NumberFormatError)) throw error;
			at.warnings.push({
				where: where(grid, row, column),
				message: `目標「${excerpt(name)}」の「${excerpt(text)}」は数値として読めないため、空欄にします（${error.reason}）。`
			});
			return null;
		}
	};
	const baseline = read(at.baselineColumn, parseJapaneseNumber);
	const target = read(at.targetColumn, parseJapaneseNumber);
	const years = at.years.map((y) => {
		const value = read(y.column, parseValueWithActual);
		const actual = read(y.actualColumn, parseJapaneseNumber);
		return {
			label: y.label,
			fiscalYear: y.fiscalYear,
			target: value?.target ?? null,
			actual: actual?.value ?? value?.actual ?? null
		};
	});
	const unit = fixedUnit || units[0] || '';
	if (units.some((u) => u !== unit))
		at.warnings.push({
			where: where(grid, row),
			message: `目標「${excerpt(name)}」の単位が「${[...new Set(units)].join('」「')}」と混ざっています。「${unit}」とします。`
		});
	return {
		id,
		name: name.slice(0, 200),
		unit: unit.slice(0, 16),
		baseline: { label: at.baselineLabel.slice(0, 64), value: baseline?.value ?? null },
		target: target?.value ?? null,
		years
	};
}
