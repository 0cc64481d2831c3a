// The JSON backup of a table: the SheetJSON as it is, readable and diffable.
import type { SheetJSON } from '../model/schema.ts';

export function sheetToJson(sheet: SheetJSON): string {
	return `${JSON.stringify(sheet, null, 2)}\n`;
}
