// The KPI part of the text (<計画期間の目標>): one header naming the years, then one line per
// target with values such as `2, 6 0 0 人 (2, 2 5 2 人)` (the year's target, then its actual).
import { NumberFormatError, parseJapaneseNumber, parseValueWithActual } from '../model/numbers.ts';
import type { KpiJSON } from '../model/schema.ts';
import {
	HEADER_FIRST,
	KPI_MARKER,
	TextImportError,
	cells,
	collapseSpaces,
	findFiscalYear,
	found,
	nextLine,
	type Cursor
} from './text-lines.ts';

/** Reads from just after the <計画期間の目標> line to the end of the text. */
export function readKpis(
	cursor: Cursor,
	markerLine: number,
	lineOf: WeakMap<object, number>
): KpiJSON[] {
	const header = nextLine(cursor);
	const labels = header ? cells(header.text) : [];
	if (!header || labels[0] !== HEADER_FIRST || labels[2] !== '目標' || labels.length < 4) {
		throw new TextImportError(
			header?.line ?? markerLine,
			`${KPI_MARKER}の見出しの行（取り組み項目、現状、目標、各年度）が必要ですが${found(header?.text)}`
		);
	}
	const years = labels.slice(3).map((label, index) => {
		const fiscalYear = findFiscalYear(label);
		if (fiscalYear === null) {
			const detail = `見出しの${index + 4}列目「${label}」から年度が読み取れません`;
			throw new TextImportError(header.line, detail);
		}
		return { label: label.replace(/\s+/g, ''), fiscalYear };
	});

	const columns = [
		HEADER_FIRST,
		collapseSpaces(labels[1] ?? ''),
		'目標',
		...years.map((y) => y.label)
	];

	const kpis: KpiJSON[] = [];
	for (let row = nextLine(cursor); row; row = nextLine(cursor)) {
		const fields = cells(row.text);
		if (fields.join('\t') === labels.join('\t')) continue;
		if (fields.length !== labels.length) {
			throw new TextImportError(
				row.line,
				`${KPI_MARKER}の行の列が${fields.length}個あります（見出しと同じ${labels.length}列のはずです）`
			);
		}
		const kpi = readKpi(fields, columns, years, row.line, `k${kpis.length + 1}`);
		lineOf.set(kpi, row.line);
		kpis.push(kpi);
	}
	return kpis;
}

function readKpi(
	fields: string[],
	columns: string[],
	years: { label: string; fiscalYear: number }[],
	line: number,
	id: string
): KpiJSON {
	const name = collapseSpaces((fields[0] ?? '').replace(/^[0-9０-９]+\s*/, ''));
	if (name === '') throw new TextImportError(line, '目標の名前が空です');
	const units: string[] = [];

	// A blank cell is an unset value; anything else must read as a number in the table's unit.
	const read = <T extends { unit: string }>(
		column: number,
		parse: (cell: string) => T
	): T | null => {
		const cell = fields[column] ?? '';
		if (cell === '') return null;
		const where = `${name}の「${columns[column] ?? ''}」の列`;
		let value: T;
		try {
			value = parse(cell);
		} catch (error) {
			if (!(error instanceof NumberFormatError)) throw error;
			throw new TextImportError(line, `${where}: ${error.message}`);
		}
		const unit = units.find(Boolean);
		if (value.unit !== '' && unit !== undefined && value.unit !== unit) {
			throw new TextImportError(
				line,
				`${where}: 単位「${value.unit}」がほかの列の「${unit}」と違います`
			);
		}
		units.push(value.unit);
		return value;
	};

	const baseline = read(1, parseJapaneseNumber);
	const target = read(2, parseJapaneseNumber);
	const yearValues = years.map((year, index) => {
		const value = read(index + 3, parseValueWithActual);
		return { ...year, target: value?.target ?? null, actual: value?.actual ?? null };
	});
	return {
		id,
		name,
		unit: units.find(Boolean) ?? '',
		baseline: { label: columns[1] ?? '', value: baseline?.value ?? null },
		target: target?.value ?? null,
		years: yearValues
	};
}
