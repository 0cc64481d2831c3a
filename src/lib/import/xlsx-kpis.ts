// The visible KPI sheet (計画期間の目標) of a Shinko .xlsx, read back: names, baselines, targets and
// each year's target and actual as an office may have edited them in Excel. A cell left as it was
// written keeps the exact number from the hidden sheet; a cell edited is read as the table writes
// numbers (2,034人, 9億7千万円, 2,600人 (2,252人)). What cannot be read, a changed heading, a row
// added or taken away, is refused, naming the cell: never ignored.
import type ExcelJS from 'exceljs';
import { HEADER_FIRST, KPI_NOTE, cellAddress } from '../export/xlsx-layout.ts';
import { yearText } from '../export/xlsx-kpis.ts';
import { formatAmount } from '../model/number-format.ts';
import { NumberFormatError, parseJapaneseNumber, parseValueWithActual } from '../model/numbers.ts';
import type { KpiJSON } from '../model/schema.ts';
import { XlsxImportError, cellText } from './xlsx-cells.ts';

const HEADER_ROW = 2;
const FIRST_ROW = 3;

export function readKpiSheet(ws: ExcelJS.Worksheet, stored: KpiJSON[]): KpiJSON[] {
	const text = (row: number, column: number) => cellText(ws, row, column);
	const fail = (row: number, column: number, detail: string) =>
		new XlsxImportError(ws.name, cellAddress(row, column), detail);

	// The headings as written: the years as columns, in the order they first appear.
	const years = [...new Set(stored.flatMap((kpi) => kpi.years.map((year) => year.label)))];
	const baseline = stored.find((kpi) => kpi.baseline.label !== '')?.baseline.label ?? '現状';
	const header = [HEADER_FIRST, baseline, '目標', ...years];
	header.forEach((expected, index) => {
		if (text(HEADER_ROW, index + 1) !== expected)
			throw fail(
				HEADER_ROW,
				index + 1,
				`見出し「${expected}」が「${text(HEADER_ROW, index + 1)}」に変わっています（KPI の年度や見出しは Shinko の表の設定で変えてください）`
			);
	});

	const kpis = stored.map((kpi, index): KpiJSON => {
		const row = FIRST_ROW + index;
		const number = (column: number, written: string, current: number | null): number | null => {
			const found = text(row, column);
			if (found === written) return current;
			if (found === '') return null;
			return amount(row, column, found, kpi.unit);
		};
		const amount = (r: number, column: number, found: string, unit: string): number => {
			try {
				const read = parseJapaneseNumber(found);
				if (read.unit !== unit) throw new NumberFormatError(found, `単位は「${unit}」です`);
				return read.value;
			} catch (error) {
				if (error instanceof NumberFormatError) throw fail(r, column, error.message);
				throw error;
			}
		};
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
				value: number(2, formatAmount(kpi.baseline.value, kpi.unit), kpi.baseline.value)
			},
			target: number(3, formatAmount(kpi.target, kpi.unit), kpi.target),
			years: kpi.years.map((year) => {
				const column = 4 + years.indexOf(year.label);
				const found = text(row, column);
				if (found === yearText(kpi, year.label)) return year;
				if (found === '') return { ...year, target: null, actual: null };
				try {
					const read = parseValueWithActual(found);
					if (read.unit !== kpi.unit)
						throw new NumberFormatError(found, `単位は「${kpi.unit}」です`);
					return { ...year, target: read.target, actual: read.actual };
				} catch (error) {
					if (error instanceof NumberFormatError) throw fail(row, column, error.message);
					throw error;
				}
			}),
			...(kpi.lowerIsBetter ? { lowerIsBetter: true } : {})
		};
	});

	// A year a KPI does not have stays blank; below the KPIs, only the note.
	kpis.forEach((kpi, index) => {
		years.forEach((label, y) => {
			if (!kpi.years.some((year) => year.label === label) && text(FIRST_ROW + index, 4 + y) !== '')
				throw fail(
					FIRST_ROW + index,
					4 + y,
					`「${kpi.name}」には ${label} の目標がありません（年度の追加は Shinko の画面で行ってください）`
				);
		});
	});
	for (let row = FIRST_ROW + kpis.length; row <= ws.rowCount; row++)
		for (let column = 1; column <= header.length + 1; column++) {
			const found = text(row, column);
			if (found !== '' && !(column === 1 && found === KPI_NOTE))
				throw fail(
					row,
					column,
					'KPI の表の後に値があります（KPI の追加は Shinko の画面で行ってください）'
				);
		}
	return kpis;
}
