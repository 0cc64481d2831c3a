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
	#value: T | undefined;
	/** Observing, and nothing changed since `#value` was read: many readers share one read. */
	#fresh = false;
	#observing = false;

	constructor(
		types: AnyType | AnyType[],
		private readonly read: () => T,
		options: YReaderOptions = {}
	) {
		const list = Array.isArray(types) ? types : [types];
		this.#subscribe = createSubscriber((update) => {
			const changed = () => {
				this.#fresh = false;
				update();
			};
			this.#observing = true;
			this.#fresh = false;
			if (options.deep) {
				const handler = (events: YEvents) => {
					if (!options.filter || options.filter(events)) changed();
				};
				for (const t of list) t.observeDeep(handler);
				return () => {
					list.forEach((t) => t.unobserveDeep(handler));
					this.#observing = false;
				};
			}
			for (const t of list) t.observe(changed);
			return () => {
				list.forEach((t) => t.unobserve(changed));
				this.#observing = false;
			};
		});
	}

	/** The value; read again only after a change while observed, and on every use otherwise. */
	get current(): T {
		this.#subscribe();
		if (!this.#fresh) {
			this.#value = this.read();
			this.#fresh = this.#observing;
		}
		return this.#value as T;
	}
}
