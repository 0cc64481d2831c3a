// One entry for every import: the text format, our .xlsx, or a JSON backup — chosen by content,
// so a file with a wrong extension still reads. Used by the CLI and by the browser alike.
import type { SheetJSON } from '../model/schema.ts';
import { JsonImportError, parseJsonBackup } from './json.ts';
import { TextImportError, parseTextTable } from './text-table.ts';
import { OfficeImportError, importGrids, type OfficeImport } from './office/infer.ts';
import type { ImportMapping } from './office/mapping.ts';
import { workbookGrids } from './office/xlsx-grid.ts';
import { XlsxImportError, isShinkoWorkbook, loadWorkbook, shinkoWorkbookToSheet } from './xlsx.ts';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export type ImportFormat = 'text' | 'xlsx' | 'json' | 'pdf';

export class ImportError extends Error {
	override name = 'ImportError';
}

/** Errors an import may end with; each says where (line, cell or path) and what was expected. */
export function isImportError(err: unknown): err is Error {
	return (
		err instanceof TextImportError ||
		err instanceof XlsxImportError ||
		err instanceof JsonImportError ||
		err instanceof OfficeImportError ||
		err instanceof ImportError
	);
}

export function detectFormat(bytes: Uint8Array): ImportFormat {
	if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx'; // "PK": a zip
	if (new TextDecoder().decode(bytes.subarray(0, 5)) === '%PDF-') return 'pdf';
	let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
	return bytes[i] === 0x7b ? 'json' : 'text';
}

export interface Imported {
	sheet: SheetJSON;
	format: ImportFormat;
	/** For an office's own workbook: the mapping inferred or used, warnings, counts. */
	office?: OfficeImport;
}

/**
 * Reads a file as a table. An office's own workbook is read by inferring its layout, or by
 * `mapping` (what the preview or `shinko import --map` corrected); other formats ignore it.
 */
export async function importBytes(bytes: Uint8Array, mapping?: ImportMapping): Promise<Imported> {
	if (bytes.length > MAX_IMPORT_BYTES) {
		throw new ImportError(`ファイルが大きすぎます（${MAX_IMPORT_BYTES / 1024 / 1024} MB まで）`);
	}
	const format = detectFormat(bytes);
	if (format === 'pdf') {
		const { pdfGrids } = await import('./office/pdf-grid.ts');
		const { grids, skipped } = await pdfGrids(bytes, 'PDF');
		const office = importGrids(grids, mapping, skipped);
		return { sheet: office.sheet, format, office };
	}
	if (format === 'xlsx') {
		const workbook = await loadWorkbook(bytes);
		if (isShinkoWorkbook(workbook)) return { sheet: shinkoWorkbookToSheet(workbook), format };
		const { grids, skipped } = workbookGrids(workbook);
		const office = importGrids(grids, mapping, skipped);
		return { sheet: office.sheet, format, office };
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new ImportError('文字コードが UTF-8 ではありません。UTF-8 で保存し直してください。');
	}
	return { sheet: format === 'json' ? parseJsonBackup(text) : parseTextTable(text), format };
}
