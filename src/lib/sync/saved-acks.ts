// Counting what a y-websocket provider sends against the server's saved-acks (MESSAGE.savedAck).
// Plain TypeScript: the browser's RemoteSync and the Node tests use it alike.
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE } from './protocol.ts';

const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript's mixin signature
type SocketClass = new (...args: any[]) => WebSocket;

export interface CountingSocket {
	sentUpdates: number;
}

/** A WebSocket class that counts the sync updates and step-2 messages sent through it. */
export function countingSocket<T extends SocketClass>(Base: T): T {
	return class extends Base implements CountingSocket {
		sentUpdates = 0;
		override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
			if (data instanceof Uint8Array && data[0] === MESSAGE.sync) {
				if (data[1] === SYNC_STEP2 || data[1] === SYNC_UPDATE) this.sentUpdates++;
			}
			super.send(data as ArrayBufferView);
		}
	};
}

export class SavedAcks {
	/** Updates of the current connection the server has on disk. */
	acked = 0;

	constructor(
		private readonly provider: WebsocketProvider,
		private readonly onChange: () => void = () => {}
	) {
		provider.messageHandlers[MESSAGE.savedAck] = (_encoder, decoder) => {
			this.acked = decoding.readVarUint(decoder);
			this.onChange();
		};
		provider.on('status', ({ status }) => {
			if (status === 'connected') this.acked = 0;
		});
	}

	/** Updates sent on the current connection. */
	get sent(): number {
		const ws = this.provider.ws as (WebSocket & Partial<CountingSocket>) | null;
		return ws?.sentUpdates ?? 0;
	}

	/** True when everything sent on this connection is on the server's disk. */
	get allSaved(): boolean {
		return this.provider.synced && this.sent > 0 && this.acked >= this.sent;
	}
}
