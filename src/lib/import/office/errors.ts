// The error an office's file ends with when it cannot be imported: what was looked for, and where.
import type { Grid } from './grid.ts';
import type { ImportMapping } from './mapping.ts';

export class OfficeImportError extends Error {
	override name = 'OfficeImportError';
	/** The mapping inferred when it is the mapping that does not work: the preview can correct it. */
	readonly mapping: ImportMapping | undefined;
	readonly grids: Grid[] | undefined;

	constructor(message: string, found?: { mapping: ImportMapping; grids: Grid[] }) {
		super(message);
		this.mapping = found?.mapping;
		this.grids = found?.grids;
	}
}
