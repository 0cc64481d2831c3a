// Yjs → Svelte: a value read from a Y type, re-read only when that type changes.
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';

export class YReader<T> {
	readonly #subscribe: () => void;

	constructor(
		type: Y.AbstractType<never> | Y.AbstractType<unknown>,
		private readonly read: () => T,
		options: { deep?: boolean; filter?: (events: Y.YEvent<never>[]) => boolean } = {}
	) {
		const t = type as Y.AbstractType<unknown>;
		this.#subscribe = createSubscriber((update) => {
			if (options.deep) {
				const handler = (events: Y.YEvent<never>[]) => {
					if (!options.filter || options.filter(events)) update();
				};
				t.observeDeep(handler as never);
				return () => t.unobserveDeep(handler as never);
			}
			const handler = () => update();
			t.observe(handler);
			return () => t.unobserve(handler);
		});
	}

	get current(): T {
		this.#subscribe();
		return this.read();
	}
}
