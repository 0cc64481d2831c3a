// The tooltip of a mark cell: the mark and its meaning with who set it, or the competing marks;
// a mark not in the table's scale says so.
import type { MarkReading } from '$lib/doc/mark-register.ts';
import type { Messages } from '$lib/i18n/ja.ts';
import type { MarkDef } from '$lib/model/shape.ts';

export function markTitle(t: Messages, reading: MarkReading, scale: readonly MarkDef[]): string {
	const { cell, entries } = reading;
	if (Array.isArray(cell))
		return `${t.markConflict}: ${entries.map((e) => t.markBy(setter(t, e.by), e.value)).join(' / ')}`;
	if (cell === '') return t.markNotAssessed;
	const def = scale.find((m) => m.mark === cell);
	const meaning = def ? def.label : t.markOutsideScale;
	const by = entries[0] && !isServer(entries[0].by) ? ` (${entries[0].by})` : '';
	return `${cell} ${meaning}${by}`;
}

/**
 * A mark the server wrote (the reference seeded, a file imported with the CLI) carries the
 * server's writer id (server-<pid>-<hex>), which means nothing to a reader: it is not shown.
 */
function isServer(by: string): boolean {
	return by.startsWith('server-');
}

function setter(t: Messages, by: string): string {
	return isServer(by) ? t.markByImport : by;
}
