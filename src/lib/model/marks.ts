// A mark as a person or another program wrote it, read as one of the table's marks: the import
// of a text or an .xlsx, and a paste from Excel, take 〇 for ○ and － for — alike.

// Only glyphs that cannot mean anything else in a mark cell: every dash is —, a round 〇 is ○.
// Each stands for its mark only where the table's scale has that mark.
const MARK_LOOK_ALIKES: Record<string, string> = {
	'-': '—',
	'－': '—',
	'‐': '—',
	'–': '—',
	'―': '—',
	'−': '—',
	'─': '—',
	ー: '—',
	〇: '○',
	'◯': '○',
	'✕': '×',
	'✖': '×',
	'╳': '×'
};

/**
 * The mark of the scale a cell's text means: the mark itself, the mark typed full-width (Ｓ for S),
 * or a look-alike of it (〇 for ○); null when it is none of the scale's marks.
 */
export function markOf(text: string, scale: readonly string[]): string | null {
	if (scale.includes(text)) return text;
	const narrow = text.normalize('NFKC');
	if (scale.includes(narrow)) return narrow;
	const alike = MARK_LOOK_ALIKES[text];
	return alike !== undefined && scale.includes(alike) ? alike : null;
}
