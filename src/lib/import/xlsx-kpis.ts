// The visible KPI sheet (計画期間の目標) of a Shinko .xlsx, read back: names, baselines, targets and
// each year's target and actual as an office may have edited them in Excel. Since format 3 the
// values are number cells, a year's target and actual in columns of their own; a value typed as
// text is read as the table writes numbers (2,034人, 9億7千万円), a blank or a lone — as none. The
// plan-period rate is worked out from the values, so it is not read. A format 2 file wrote each
// year as one text, its actual in brackets (2,600人 (2,252人)): a cell left as it was written
// keeps the exact number from the hidden sheet, one edited is read as such a text. What cannot be
// read, a changed heading, a row added or taken away, is refused, naming the cell: never ignored.
import type ExcelJS from 'exceljs';
import {
	HEADER_FIRST,
	KPI_FIRST_ROW,
	KPI_HEADER_ROW,
	KPI_NOTE,
	KPI_TARGET,
	KPI_TEXT_FORMAT,
	KPI_TEXT_NOTE,
	cellAddress,
	kpiColumns,
	kpiHeadings,
	kpiYearLabels
} from '../export/xlsx-layout.ts';
import { DEFAULT_BASELINE, baselineHeading } from '../model/kpi-table.ts';
import { formatAmount } from '../model/number-format.ts';
import { NumberFormatError, parseJapaneseNumber, parseValueWithActual } from '../model/numbers.ts';
import type { KpiJSON, KpiYearJSON } from '../model/schema.ts';
import { XlsxImportError, cellText } from './xlsx-cells.ts';

/** How one layout of the sheet is read; `row` is a KPI's row. */
interface Layout {
	headings: string[];
	/** The one text allowed under the KPIs. */
	note: string;
	/** The columns of the year at `index` of the headings' years. */
	yearColumns(index: number): number[];
	baseline: number;
	target: number;
	/** A baseline or target cell; `stored` is the value the hidden sheet holds. */
	amount(row: number, column: number, kpi: KpiJSON, stored: number | null): number | null;
	year(
		row: number,
		index: number,
		kpi: KpiJSON,
		year: KpiYearJSON
	): Pick<KpiYearJSON, 'target' | 'actual'>;
}

type Fail = (row: number, column: number, detail: string) => XlsxImportError;

/** `version`: the file's format, from its hidden sheet. */
export function readKpiSheet(ws: ExcelJS.Worksheet, stored: KpiJSON[], version: number): KpiJSON[] {
	const text = (row: number, column: number) => cellText(ws, row, column);
	const fail: Fail = (row, column, detail) =>
		new XlsxImportError(ws.name, cellAddress(row, column), detail);

	const years = kpiYearLabels(stored);
	const baseline = baselineHeading(stored.map((kpi) => kpi.baseline.label)) ?? DEFAULT_BASELINE;
	const layout =
		version <= KPI_TEXT_FORMAT
			? textLayout(ws, fail, baseline, years)
			: numberLayout(ws, fail, baseline, years);
	layout.headings.forEach((expected, index) => {
		const found = text(KPI_HEADER_ROW, index + 1);
		if (found !== expected)
			throw fail(
				KPI_HEADER_ROW,
				index + 1,
				`見出し「${expected}」が「${found}」に変わっています（KPI の年度や見出しは Shinko の表の設定で変えてください）`
			);
	});

	const kpis = stored.map((kpi, index): KpiJSON => {
		const row = KPI_FIRST_ROW + index;
		const name = text(row, 1).match(/^(\d+)\s+(.+)$/s);
		if (!name || Number(name[1]) !== index + 1)
			throw fail(
				row,
				1,
				`${index + 1} 番目の KPI の行です（「${index + 1} ${kpi.name}」の形で、番号は変えずに。KPI の追加や削除は Shinko の画面で行ってください）`
			);
		return {
			...kpi,
			name: name[2]!.trim(),
			baseline: {
				...kpi.baseline,
				value: layout.amount(row, layout.baseline, kpi, kpi.baseline.value)
			},
			target: layout.amount(row, layout.target, kpi, kpi.target),
			years: kpi.years.map((year) => ({
				...year,
				...layout.year(row, years.indexOf(year.label), kpi, year)
			})),
			...(kpi.lowerIsBetter ? { lowerIsBetter: true } : {})
		};
	});

	// A year a KPI does not have stays blank; below the KPIs, only the note.
	kpis.forEach((kpi, index) => {
		years.forEach((label, y) => {
			if (kpi.years.some((year) => year.label === label)) return;
			for (const column of layout.yearColumns(y))
				if (text(KPI_FIRST_ROW + index, column) !== '')
					throw fail(
						KPI_FIRST_ROW + index,
						column,
						`「${kpi.name}」には ${label} の目標がありません（年度の追加は Shinko の画面で行ってください）`
					);
		});
	});
	for (let row = KPI_FIRST_ROW + kpis.length; row <= ws.rowCount; row++)
		for (let column = 1; column <= layout.headings.length + 1; column++) {
			const found = text(row, column);
			if (found !== '' && !(column === 1 && found === layout.note))
				throw fail(
					row,
					column,
					'KPI の表の後に値があります（KPI の追加は Shinko の画面で行ってください）'
				);
		}
	return kpis;
}

/** Format 3 on: number cells, a target and an actual column per year, the rate last. */
function numberLayout(
	ws: ExcelJS.Worksheet,
	fail: Fail,
	baseline: string,
	years: string[]
): Layout {
	const cols = kpiColumns(years.length);
	const amount = (row: number, column: number, kpi: KpiJSON): number | null => {
		const value = ws.getCell(row, column).value;
		if (typeof value === 'number') return value;
		const found = cellText(ws, row, column).trim();
		if (found === '' || NONE.test(found)) return null;
		return readAmount(found, kpi.unit, (detail) => fail(row, column, detail));
	};
	return {
		headings: kpiHeadings(baseline, years),
		note: KPI_NOTE,
		yearColumns: (y) => [cols.yearTarget(y), cols.yearActual(y)],
		baseline: cols.baseline,
		target: cols.target,
		amount,
		year: (row, y, kpi) => ({
			target: amount(row, cols.yearTarget(y), kpi),
			actual: amount(row, cols.yearActual(y), kpi)
		})
	};
}

/** A cell that says there is no value: a dash, as the screen shows an empty one. */
const NONE = /^[-－—―ー]$/;

/** Format 2 and before: texts, each year's target with its actual in brackets. */
function textLayout(ws: ExcelJS.Worksheet, fail: Fail, baseline: string, years: string[]): Layout {
	const text = (row: number, column: number) => cellText(ws, row, column);
	return {
		headings: [HEADER_FIRST, baseline, KPI_TARGET, ...years],
		note: KPI_TEXT_NOTE,
		yearColumns: (y) => [4 + y],
		baseline: 2,
		target: 3,
		amount: (row, column, kpi, stored) => {
			const found = text(row, column);
			if (found === formatAmount(stored, kpi.unit)) return stored;
			if (found === '') return null;
			return readAmount(found, kpi.unit, (detail) => fail(row, column, detail));
		},
		year: (row, y, kpi, year) => {
			const column = 4 + y;
			const found = text(row, column);
			if (found === yearText(kpi, year)) return year;
			if (found === '') return { target: null, actual: null };
			try {
				const read = parseValueWithActual(found);
				if (read.unit !== kpi.unit) throw new NumberFormatError(found, `単位は「${kpi.unit}」です`);
				return { target: read.target, actual: read.actual };
			} catch (error) {
				if (error instanceof NumberFormatError) throw fail(row, column, error.message);
				throw error;
			}
		}
	};
}

/** 「2,600人 (2,252人)」: a year as format 2 wrote it, the actual in brackets once known. */
function yearText(kpi: KpiJSON, year: KpiYearJSON): string {
	const target = formatAmount(year.target, kpi.unit);
	if (year.actual === null) return target;
	return `${target} (${formatAmount(year.actual, kpi.unit)})`.trim();
}

/** A value typed as text: a number in the KPI's unit (2,600人, 11億円, or no unit at all). */
function readAmount(found: string, unit: string, fail: (detail: string) => Error): number {
	try {
		const read = parseJapaneseNumber(found);
		if (read.unit !== unit && read.unit !== '')
			throw new NumberFormatError(found, `単位は「${unit}」です`);
		return read.value;
	} catch (error) {
		if (error instanceof NumberFormatError) throw fail(error.message);
		throw error;
	}
}
