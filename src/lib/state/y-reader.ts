// Yjs → Svelte: a value read from Y types, re-read only when one of them changes.
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Y type, whatever its event
type AnyType = Y.AbstractType<any>;
export type YEvents = Y.YEvent<AnyType>[];

export interface YReaderOptions {
	/** Also react to changes inside nested types. */
	deep?: boolean;
	/** With `deep`: react only when this returns true for a batch of events. */
	filter?: (events: YEvents) => boolean;
}

export class YReader<T> {
	readonly #subscribe: () => void;

	constructor(
		types: AnyType | AnyType[],
		private readonly read: () => T,
		options: YReaderOptions = {}
	) {
		const list = Array.isArray(types) ? types : [types];
		this.#subscribe = createSubscriber((update) => {
			if (options.deep) {
				const handler = (events: YEvents) => {
					if (!options.filter || options.filter(events)) update();
				};
				for (const t of list) t.observeDeep(handler);
				return () => list.forEach((t) => t.unobserveDeep(handler));
			}
			const handler = () => update();
			for (const t of list) t.observe(handler);
			return () => list.forEach((t) => t.unobserve(handler));
		});
	}

	get current(): T {
		this.#subscribe();
		return this.read();
	}
}
