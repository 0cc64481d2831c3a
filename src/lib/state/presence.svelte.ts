// Presence through Yjs awareness: who has the table open, and which cell each person is in.
import { createSubscriber } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';
import { z } from 'zod/mini';

const COLOURS = ['#d1495b', '#2e86ab', '#3d9970', '#b07d00', '#7b5ea7', '#e07a1f', '#00838f'];

export function colourFor(name: string): string {
	let h = 0;
	for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
	return COLOURS[h % COLOURS.length]!;
}

// Other clients' states are untrusted input: read them through a schema.
const stateSchema = z.object({
	user: z.object({
		name: z.string().check(z.maxLength(80)),
		colour: z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/)),
		role: z.optional(z.string().check(z.maxLength(16)))
	}),
	cursor: z.optional(
		z.nullable(
			z.object({
				itemId: z.string().check(z.maxLength(64)),
				field: z.string().check(z.maxLength(32))
			})
		)
	),
	presenting: z.optional(z.boolean()),
	/** The presenter's scroll position: the row at the top of the screen and how far into it. */
	view: z.optional(
		z.nullable(
			// z.number() takes finite numbers only.
			z.object({ itemId: z.string().check(z.maxLength(64)), offset: z.number() })
		)
	)
});

export interface Peer {
	clientId: number;
	name: string;
	colour: string;
	cursor: { itemId: string; field: string } | null;
	presenting: boolean;
	view: { itemId: string; offset: number } | null;
	self: boolean;
}

export function cellKey(itemId: string, field: string): string {
	return `${itemId}/${field}`;
}

export class Presence {
	readonly #subscribe: () => void;
	private destroyed = false;

	/** Everyone in the table (you first), from awareness. */
	readonly peers: Peer[] = $derived.by(() => {
		this.#subscribe();
		const out: Peer[] = [];
		for (const [clientId, raw] of this.awareness.getStates()) {
			const parsed = stateSchema.safeParse(raw);
			if (!parsed.success) continue;
			out.push({
				clientId,
				name: parsed.data.user.name,
				colour: parsed.data.user.colour,
				cursor: parsed.data.cursor ?? null,
				presenting: parsed.data.presenting ?? false,
				view: parsed.data.view ?? null,
				self: clientId === this.awareness.clientID
			});
		}
		return out.sort(
			(a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'ja')
		);
	});

	/** Other people by the cell they are in. */
	readonly byCell: Map<string, Peer[]> = $derived.by(() => {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt whole, never mutated after
		const map = new Map<string, Peer[]>();
		for (const peer of this.peers) {
			if (peer.self || !peer.cursor) continue;
			const key = cellKey(peer.cursor.itemId, peer.cursor.field);
			map.set(key, [...(map.get(key) ?? []), peer]);
		}
		return map;
	});

	/** The items someone else has a cursor in. */
	readonly itemsWithPeers: Set<string> = $derived(
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt whole, never mutated after
		new Set(this.peers.filter((p) => !p.self && p.cursor).map((p) => p.cursor!.itemId))
	);

	constructor(
		readonly awareness: Awareness,
		user: { name: string; role: string }
	) {
		this.#subscribe = createSubscriber((update) => {
			awareness.on('change', update);
			return () => awareness.off('change', update);
		});
		awareness.setLocalState({
			user: { name: user.name, colour: colourFor(user.name), role: user.role },
			cursor: null
		});
		// Leave the list at once when the tab goes away, not when the server notices.
		window.addEventListener('pagehide', this.leave);
	}

	setCursor(cursor: { itemId: string; field: string } | null): void {
		if (this.destroyed) return;
		const current = this.awareness.getLocalState()?.cursor ?? null;
		if (current?.itemId === cursor?.itemId && current?.field === cursor?.field) return;
		this.awareness.setLocalStateField('cursor', cursor);
	}

	setPresenting(presenting: boolean): void {
		if (this.destroyed) return;
		this.awareness.setLocalStateField('presenting', presenting);
		if (!presenting) this.awareness.setLocalStateField('view', null);
	}

	setView(view: { itemId: string; offset: number } | null): void {
		if (this.destroyed) return;
		const current = this.awareness.getLocalState()?.view ?? null;
		if (
			current?.itemId === view?.itemId &&
			Math.abs((current?.offset ?? 0) - (view?.offset ?? 0)) < 2
		)
			return;
		this.awareness.setLocalStateField('view', view);
	}

	private readonly leave = () => {
		this.awareness.setLocalState(null);
	};

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		window.removeEventListener('pagehide', this.leave);
		this.leave();
	}
}
