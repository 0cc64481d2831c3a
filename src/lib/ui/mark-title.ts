// The tooltip of a mark cell: the mark and its meaning with who set it, or the competing marks.
import type { MarkReading } from '$lib/doc/mark-register.ts';
import type { Messages } from '$lib/i18n/ja.ts';
import { MARK_MEANINGS } from '$lib/model/marks.ts';

export function markTitle(t: Messages, reading: MarkReading): string {
	const { cell, entries } = reading;
	if (Array.isArray(cell))
		return `${t.markConflict}: ${entries.map((e) => t.markBy(e.by, e.value)).join(' / ')}`;
	if (cell === '') return t.markNotAssessed;
	return `${cell} ${MARK_MEANINGS[cell]}${entries[0] ? ` (${entries[0].by})` : ''}`;
}
