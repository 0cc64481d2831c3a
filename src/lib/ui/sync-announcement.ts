// What the sync badge says to a screen reader. The badge's own text goes 保存中 → 保存済み at every
// keystroke; read aloud, that drowns what the user types. Only what changes what the user should
// do is said: the device went offline, the server refused or ended the session, edits were lost,
// and everything is saved again after one of those.
import type { SyncState } from '../sync/remote.svelte.ts';

export type Announcement = 'offline' | 'login' | 'refused' | 'lost' | 'saved';

/** A state stays this long before it is said: a blip of the network is not worth a word. */
export const ANNOUNCE_AFTER_MS = 1500;

/**
 * What to say on reaching `state`, when `last` was said before (null: nothing yet); null when
 * there is nothing new. The ordinary save cycle (connecting, unsaved, saved) says nothing, and
 * neither does a page that opens saved.
 */
export function announcementFor(last: Announcement | null, state: SyncState): Announcement | null {
	switch (state) {
		case 'offline':
		case 'login':
		case 'refused':
		case 'lost':
			return state === last ? null : state;
		case 'saved':
			return last !== null && last !== 'saved' ? 'saved' : null;
		default:
			return null;
	}
}
