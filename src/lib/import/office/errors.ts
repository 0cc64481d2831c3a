// The error an office's file ends with when it cannot be imported: what was looked for, and where.
export class OfficeImportError extends Error {
	override name = 'OfficeImportError';
}
