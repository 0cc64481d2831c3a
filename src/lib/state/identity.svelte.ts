// Who is editing on this device: a display name (until login arrives) and a colour from it.
const NAME_KEY = 'shinko:name';

const COLOURS = ['#d1495b', '#2e86ab', '#3d9970', '#b07d00', '#7b5ea7', '#e07a1f', '#00838f'];

export function colourFor(name: string): string {
	let h = 0;
	for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
	return COLOURS[h % COLOURS.length]!;
}

export class Identity {
	name = $state('');
	readonly colour = $derived(colourFor(this.name));

	constructor(fallback: string) {
		let stored: string | null = null;
		try {
			stored = localStorage.getItem(NAME_KEY);
		} catch {
			stored = null;
		}
		this.name = stored?.trim() || fallback;
	}

	rename(name: string): void {
		const trimmed = name.trim().slice(0, 40);
		if (!trimmed) return;
		this.name = trimmed;
		try {
			localStorage.setItem(NAME_KEY, trimmed);
		} catch {
			// kept for this session only
		}
	}
}
