import { describe, expect, it } from 'vitest';
import type { SyncState } from '../../src/lib/sync/remote.svelte.ts';
import { announcementFor, type Announcement } from '../../src/lib/ui/sync-announcement.ts';

/** What a screen reader hears as the badge goes through `states`, each held long enough. */
function heard(states: SyncState[]): Announcement[] {
	let last: Announcement | null = null;
	const said: Announcement[] = [];
	for (const state of states) {
		const next = announcementFor(last, state);
		if (next) said.push((last = next));
	}
	return said;
}

describe('sync announcements', () => {
	it('says nothing through the ordinary save cycle, however many keys are typed', () => {
		const typing: SyncState[] = ['connecting', 'saved'];
		for (let i = 0; i < 20; i++) typing.push('unsaved', 'connecting', 'saved');
		expect(heard(typing)).toEqual([]);
	});

	it('says going offline once, and saved once everything is on the server again', () => {
		expect(
			heard(['saved', 'offline', 'unsaved', 'offline', 'connecting', 'unsaved', 'saved', 'saved'])
		).toEqual(['offline', 'saved']);
	});

	it('says a refusal, a lost session and lost edits, each once', () => {
		expect(heard(['saved', 'refused', 'refused', 'login', 'lost', 'saved', 'unsaved'])).toEqual([
			'refused',
			'login',
			'lost',
			'saved'
		]);
		expect(heard(['offline', 'offline', 'connecting', 'offline'])).toEqual(['offline']);
	});
});
