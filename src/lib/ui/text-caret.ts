// Keeping a caret in place while a remote edit changes the text around it.
import type * as Y from 'yjs';

type Delta = Y.YTextEvent['delta'];

/** Maps an index in the old text to the new text after `delta` was applied. */
export function transformIndex(delta: Delta, index: number): number {
	let oldPos = 0;
	let shift = 0;
	for (const op of delta) {
		if (oldPos > index) break;
		if (op.retain !== undefined) {
			oldPos += op.retain;
		} else if (op.insert !== undefined) {
			const length = typeof op.insert === 'string' ? op.insert.length : 1;
			// Text inserted exactly at the caret goes after it: the typist's caret does not jump.
			if (oldPos < index) shift += length;
		} else if (op.delete !== undefined) {
			if (oldPos < index) shift -= Math.min(op.delete, index - oldPos);
			oldPos += op.delete;
		}
	}
	return Math.max(0, index + shift);
}
