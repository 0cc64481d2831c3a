// Saving generated files in the browser. The exporters are loaded on demand: ExcelJS is large and
// only needed when someone downloads.
import type { SheetJSON } from '$lib/model/schema.ts';

export type ExportFormat = 'xlsx' | 'csv' | 'json';

const TYPES: Record<ExportFormat, string> = {
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	csv: 'text/csv;charset=utf-8',
	json: 'application/json'
};

export function fileName(sheet: SheetJSON, format: ExportFormat): string {
	const base = (sheet.title || 'shinko').replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80);
	return `${base}.${format}`;
}

export async function exportSheet(sheet: SheetJSON, format: ExportFormat): Promise<Blob> {
	if (format === 'xlsx') {
		const { sheetToXlsx } = await import('$lib/export/xlsx.ts');
		return new Blob([(await sheetToXlsx(sheet)) as BlobPart], { type: TYPES.xlsx });
	}
	if (format === 'csv') {
		const { sheetToCsv } = await import('$lib/export/csv.ts');
		return new Blob([sheetToCsv(sheet)], { type: TYPES.csv });
	}
	const { sheetToJson } = await import('$lib/export/json.ts');
	return new Blob([sheetToJson(sheet)], { type: TYPES.json });
}

export function saveBlob(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
