// The plan-period targets (計画期間の目標) as numbers an office can calculate with: each value a
// number cell whose format shows the unit (#,##0"人"), each year a target and an actual column,
// and the plan-period rate as a percentage. An actual not yet known is a blank cell, so SUM and
// AVERAGE skip it. The exact numbers travel in the _shinko sheet too.
import type ExcelJS from 'exceljs';
import { RATE_DECIMALS, achievement, formatPercent } from '../model/number-format.ts';
import {
	DEFAULT_BASELINE,
	baselineHeading,
	kpiDecimals,
	latestActual,
	ownBaselineLabel
} from '../model/kpi-table.ts';
import type { KpiJSON, SheetJSON } from '../model/schema.ts';
import {
	KPI_FIRST_ROW,
	KPI_HEADER_ROW,
	KPI_NOTE,
	SHEET_KPIS,
	kpiColumns,
	kpiHeadings,
	kpiYearLabels
} from './xlsx-layout.ts';
import {
	A4_LANDSCAPE,
	HEADER_STYLE,
	LINE_HEIGHT,
	fill,
	put,
	tableCell,
	textHeight,
	textWidth
} from './xlsx-style.ts';

const NAME_WIDTH = { min: 14, max: 30 };
const VALUE_MIN_WIDTH = 8;
/** Room beside the widest text of a column, so Excel never shows ### for a number. */
const PADDING = 1.5;
const RATE_FORMAT = `0.${'0'.repeat(RATE_DECIMALS)}%`;
const MET = '達成';
const NOT_MET = '未達成';
const RIGHT: Partial<ExcelJS.Alignment> = { vertical: 'top', horizontal: 'right' };
/** A year a KPI does not have: shaded, so it does not read as a value missing. */
const NO_YEAR = fill('FFF2F2F2');

export function writeKpiSheet(workbook: ExcelJS.Workbook, sheet: SheetJSON): void {
	const ws = workbook.addWorksheet(SHEET_KPIS, {
		pageSetup: { ...A4_LANDSCAPE },
		views: [{ state: 'frozen', xSplit: 1, ySplit: KPI_HEADER_ROW }]
	});
	const years = kpiYearLabels(sheet.kpis);
	const cols = kpiColumns(years.length);
	const heading = baselineHeading(sheet.kpis.map((kpi) => kpi.baseline.label));
	const headings = kpiHeadings(heading ?? DEFAULT_BASELINE, years);
	const widths = headings.map((text) => Math.max(...text.split('\n').map(textWidth)));
	const grow = (column: number, text: string) => {
		widths[column - 1] = Math.max(widths[column - 1] ?? 0, shownWidth(text));
	};

	const names = sheet.kpis.map((kpi, index) => `${index + 1} ${kpi.name}`);
	const nameWidth =
		clamp(Math.max(widths[0] ?? 0, ...names.map(textWidth)), NAME_WIDTH.min, NAME_WIDTH.max) +
		PADDING;

	put(ws, 1, 1, '<計画期間の目標>', { font: { bold: true } });
	headings.forEach((text, index) =>
		put(ws, KPI_HEADER_ROW, index + 1, text, tableCell(HEADER_STYLE))
	);
	ws.getRow(KPI_HEADER_ROW).height = 2 * LINE_HEIGHT;

	sheet.kpis.forEach((kpi, index) => {
		const row = KPI_FIRST_ROW + index;
		const decimals = kpiDecimals(kpi);
		const amount = (column: number, value: number | null, prefix = '') => {
			const cell = ws.getCell(row, column);
			cell.style = tableCell({
				numFmt: amountFormat(kpi.unit, decimals, prefix),
				alignment: RIGHT
			});
			if (value === null) return;
			cell.value = value;
			grow(column, prefix + amountText(value, kpi.unit, decimals));
		};
		const name = names[index] ?? '';
		put(ws, row, cols.name, name, tableCell());
		ws.getRow(row).height = Math.max(LINE_HEIGHT, textHeight(name, nameWidth));
		amount(cols.baseline, kpi.baseline.value, baselinePrefix(kpi, heading));
		amount(cols.target, kpi.target);
		years.forEach((label, y) => {
			const year = kpi.years.find((candidate) => candidate.label === label);
			if (year) {
				amount(cols.yearTarget(y), year.target);
				amount(cols.yearActual(y), year.actual);
			} else {
				for (const column of [cols.yearTarget(y), cols.yearActual(y)])
					ws.getCell(row, column).style = tableCell({ fill: NO_YEAR });
			}
		});
		grow(cols.rate, writeRate(ws.getCell(row, cols.rate), kpi));
	});
	put(ws, KPI_FIRST_ROW + sheet.kpis.length + 1, 1, KPI_NOTE, {});

	widths.forEach((width, index) => {
		ws.getColumn(index + 1).width =
			index === cols.name - 1 ? nameWidth : Math.max(VALUE_MIN_WIDTH, width + PADDING);
	});
}

/**
 * The plan-period rate as the screen shows it: the latest actual against the plan-period
 * target, a percentage with one decimal, or 達成 / 未達成 for a target of 0. Returns what it shows.
 */
function writeRate(cell: ExcelJS.Cell, kpi: KpiJSON): string {
	const latest = latestActual(kpi.years);
	const rate = latest ? achievement(kpi.target, latest.actual, kpi.lowerIsBetter) : null;
	if (rate?.kind === 'rate') {
		cell.style = tableCell({ numFmt: RATE_FORMAT, alignment: RIGHT });
		// The rounded percentage, so Excel shows just what the screen shows (67.8 → 0.678, not
		// 0.6779999…).
		cell.value = Number((rate.percent / 100).toFixed(RATE_DECIMALS + 2));
		return formatPercent(rate.percent);
	}
	cell.style = tableCell({ alignment: RIGHT });
	const text = rate?.kind === 'met' ? MET : rate?.kind === 'notMet' ? NOT_MET : '';
	if (text !== '') cell.value = text;
	return text;
}

/** A KPI's own baseline label where it is not the column's heading: shown before its value. */
function baselinePrefix(kpi: KpiJSON, heading: string | null): string {
	const label = ownBaselineLabel(kpi.baseline.label, heading);
	return label === '' ? '' : `${label} `;
}

/**
 * `#,##0"人"`, `#,##0.0"%"`: grouped digits with the KPI's decimals and its unit, and a label
 * before them. Text in a format goes in quotes, which it cannot itself hold: a " in it becomes ”.
 */
export function amountFormat(unit: string, decimals: number, prefix = ''): string {
	const digits = decimals > 0 ? `#,##0.${'0'.repeat(decimals)}` : '#,##0';
	const positive = `${literal(prefix)}${digits}${literal(unit)}`;
	// Excel puts the minus of a one-part format before the label: say where it goes.
	return prefix === '' ? positive : `${positive};${literal(prefix)}-${digits}${literal(unit)}`;
}

function literal(text: string): string {
	return text === '' ? '' : `"${text.replaceAll('"', '”')}"`;
}

/** A value as its format shows it, to size the column. */
function amountText(value: number, unit: string, decimals: number): string {
	const digits = value.toLocaleString('en-US', {
		minimumFractionDigits: decimals,
		maximumFractionDigits: decimals
	});
	return digits + unit;
}

/** The width of a number as shown: its separators take about half a digit's room. */
function shownWidth(text: string): number {
	let width = 0;
	for (const char of text) width += char === ',' || char === '.' ? 0.5 : textWidth(char);
	return width;
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}
