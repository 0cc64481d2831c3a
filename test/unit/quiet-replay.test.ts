import WS from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { quietReplays } from '../../src/lib/sync/quiet-replay.ts';

const REPLAY = { name: 'device copy' };

/** A doc holding some content, as an update: what a device copy replays. */
function stored(text = 'ひとつめ'): Uint8Array {
	const source = new Y.Doc();
	source.getMap('items').set('a', text);
	return Y.encodeStateAsUpdate(source);
}

function setup(options: { unheard?: () => boolean; unknownListener?: boolean } = {}) {
	const doc = new Y.Doc();
	const heard: [string, unknown][] = [];
	const first = (_u: Uint8Array, origin: unknown) => heard.push(['first', origin]);
	const second = (_u: Uint8Array, origin: unknown) => heard.push(['second', origin]);
	doc.on('update', first);
	doc.on('update', second);
	if (options.unknownListener) doc.on('update', (_u, origin) => heard.push(['other', origin]));
	const stop = quietReplays(doc, REPLAY, options.unheard ?? (() => true), () => [first, second]);
	return { doc, heard, first, second, stop };
}

describe('quietReplays', () => {
	it('does not encode a replay for listeners that would drop it, and keeps them for what follows', () => {
		const { doc, heard, first, second } = setup();
		Y.applyUpdate(doc, stored(), REPLAY);
		expect(doc.getMap('items').get('a')).toBe('ひとつめ');
		expect(heard).toEqual([]);
		expect([...doc._observers.get('update')!]).toEqual([first, second]);
		doc.getMap('items').set('b', 'local');
		expect(heard).toEqual([
			['first', null],
			['second', null]
		]);
	});

	it('encodes the replay as usual when a listener would send it', () => {
		const { doc, heard } = setup({ unheard: () => false });
		Y.applyUpdate(doc, stored(), REPLAY);
		expect(heard).toEqual([
			['first', REPLAY],
			['second', REPLAY]
		]);
	});

	it('encodes the replay as usual when the doc has a listener it does not know', () => {
		const { doc, heard } = setup({ unknownListener: true });
		Y.applyUpdate(doc, stored(), REPLAY);
		expect(heard.map(([who]) => who)).toEqual(['first', 'second', 'other']);
	});

	it('leaves other origins alone', () => {
		const { doc, heard } = setup();
		Y.applyUpdate(doc, stored(), 'server');
		expect(heard).toEqual([
			['first', 'server'],
			['second', 'server']
		]);
	});

	it('still sends what an observer changes while the replay is cleaned up', () => {
		const { doc, heard } = setup();
		const items = doc.getMap<string>('items');
		items.observe(() => {
			if (!items.has('migrated')) doc.transact(() => items.set('migrated', 'yes'), 'migration');
		});
		Y.applyUpdate(doc, stored(), REPLAY);
		expect(items.get('migrated')).toBe('yes');
		expect(heard).toEqual([
			['first', 'migration'],
			['second', 'migration']
		]);
	});

	it('encodes the replay when its observers add a listener it does not know', () => {
		const { doc, heard } = setup();
		doc
			.getMap('items')
			.observe(() => doc.on('update', (_u, origin) => heard.push(['late', origin])));
		Y.applyUpdate(doc, stored(), REPLAY);
		expect(heard.map(([who]) => who)).toEqual(['first', 'second', 'late']);
	});

	it('keeps a listener removed while the others are aside removed, and the order of the rest', () => {
		const doc = new Y.Doc();
		const heard: string[] = [];
		const first = () => heard.push('first');
		const second = () => heard.push('second');
		const third = () => heard.push('third');
		// Runs after the replay's cleanup, before quietReplays puts the listeners back.
		doc.on('afterAllTransactions', () => doc.off('update', second));
		doc.on('update', first);
		doc.on('update', second);
		doc.on('update', third);
		quietReplays(
			doc,
			REPLAY,
			() => true,
			() => [first, second, third]
		);
		Y.applyUpdate(doc, stored(), REPLAY);
		expect(heard).toEqual([]);
		doc.getMap('items').set('b', 'local');
		expect(heard).toEqual(['first', 'third']);
	});

	it('stops when asked', () => {
		const { doc, heard, stop } = setup();
		stop();
		Y.applyUpdate(doc, stored(), REPLAY);
		expect(heard).toHaveLength(2);
	});

	it('knows the stock y-websocket provider by the listener it adds', () => {
		const doc = new Y.Doc();
		const provider = new WebsocketProvider('ws://127.0.0.1:9', 'doc', doc, {
			connect: false,
			disableBc: true,
			WebSocketPolyfill: WS as unknown as typeof WebSocket
		});
		const sent: unknown[] = [];
		const store = (_u: Uint8Array, origin: unknown) => sent.push(origin);
		doc.on('update', store);
		quietReplays(
			doc,
			REPLAY,
			() => !provider.wsconnected && !provider.bcconnected,
			() => [store, provider._updateHandler]
		);
		Y.applyUpdate(doc, stored(), REPLAY);
		expect(sent).toEqual([]);
		expect(doc._observers.get('update')!.has(provider._updateHandler)).toBe(true);
		provider.destroy();
	});
});
