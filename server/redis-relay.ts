// Cluster mode's relay between server processes (REDIS_URL): each commit goes to a Redis stream
// per doc, carrying the doc's seq and the seq before it, so that a process holding the doc applies
// it at once, or sees the gap and reads the store; presence goes over a channel per doc, in the
// batches each process sends its own clients. Redis holds nothing of record: a stream keeps only
// its last entries, and while Redis is down processes catch up from the store (STORE_POLL_MS).
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from './log.ts';
import { RedisLoginThrottle } from './login-throttle.ts';
import type { Relay, RelayedCommit, RelayListener } from './sync/relay.ts';

/** Entries a doc's stream keeps (about: Redis trims whole nodes). */
const STREAM_LENGTH = 256;
/** A doc's stream is dropped this long after its last commit: it only ever serves the moment. */
const STREAM_TTL_S = 600;
/** A commit bigger than this is published without its updates: receivers read the store. */
const MAX_RELAYED_BYTES = 16 * 1024;
/** How long one XREAD waits for entries before it is made again (for docs followed since). */
const READ_BLOCK_MS = 250;
/** A command Redis has not answered by then fails (a hung Redis is treated as a down one). */
const COMMAND_TIMEOUT_MS = 1000;
const RETRY_MS = 1000;
/** What a message on a doc's live channel carries. */
const LIVE_UPDATE = 0;
const LIVE_PRESENCE = 1;

export class RedisRelay implements Relay {
	/** Commands (XADD, PUBLISH): they fail at once while Redis is down rather than queue up. */
	private readonly commands: Redis;
	/** The blocking XREAD of every followed doc's stream. */
	private readonly reader: Redis;
	private readonly subscriber: Redis;
	/** The stream id read up to, per followed doc. */
	private readonly following = new Map<string, string>();
	private listener: RelayListener | null = null;
	private closed = false;
	private down = false;
	private readonly reading: Promise<void>;

	/** Keys of this store's docs: one Redis may serve several stores (and a restored one). */
	private readonly prefix: string;

	constructor(
		url: string,
		/** The store's id (its meta 'store-id'), new after a restore or a migration. */
		storeId: string,
		/** This process (its own publications are not applied again). */
		private readonly processId: string,
		private readonly log: Logger
	) {
		this.prefix = `shinko:${storeId}:`;
		const options = {
			enableOfflineQueue: false,
			maxRetriesPerRequest: 1,
			commandTimeout: COMMAND_TIMEOUT_MS
		};
		this.commands = new Redis(url, options);
		// A read in flight when the connection drops fails, and the loop waits and reads again.
		this.reader = new Redis(url, {
			...options,
			maxRetriesPerRequest: 0,
			commandTimeout: READ_BLOCK_MS + COMMAND_TIMEOUT_MS
		});
		this.subscriber = new Redis(url, {
			enableOfflineQueue: true,
			maxRetriesPerRequest: null
		});
		for (const redis of [this.commands, this.reader, this.subscriber]) {
			// Reported once per outage (reading); ioredis reconnects by itself.
			redis.on('error', () => undefined);
		}
		this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) =>
			this.onLive(channel.toString(), message)
		);
		this.reading = this.readLoop();
	}

	/** Login attempts counted across processes, on this relay's connection. */
	loginThrottle(): RedisLoginThrottle {
		return new RedisLoginThrottle(this.commands, this.processId, this.log);
	}

	get reachable(): boolean {
		return !this.down;
	}

	listen(listener: RelayListener): void {
		this.listener = listener;
	}

	private streamKey(docId: string): string {
		return `${this.prefix}doc:${docId}`;
	}

	/** The doc's live traffic: updates before their commit, and presence batches. */
	private liveChannel(docId: string): string {
		return `${this.prefix}live:${docId}`;
	}

	async follow(docId: string): Promise<void> {
		if (this.following.has(docId)) return;
		const key = this.streamKey(docId);
		// From the stream's last entry now: everything published later is read.
		let last: string;
		try {
			const entries = await this.commands.xrevrange(key, '+', '-', 'COUNT', 1);
			last = entries[0]?.[0] ?? '0-0';
		} catch {
			// Redis is down or hung: from a few seconds ago by this clock, once it is back. What
			// that misses (a clock far ahead of Redis's) the store's poll brings.
			last = `${Date.now() - 5000}-0`;
		}
		if (!this.following.has(docId)) this.following.set(docId, last);
		// Not waited for: while Redis is down it is sent once it is back (and again after every
		// reconnection), and a doc loads meanwhile.
		this.subscriber.subscribe(this.liveChannel(docId)).catch(() => undefined);
	}

	unfollow(docId: string): void {
		this.following.delete(docId);
		this.subscriber.unsubscribe(this.liveChannel(docId)).catch(() => undefined);
	}

	publishCommit(commit: RelayedCommit): void {
		const fields: (string | Buffer)[] = [
			'from',
			this.processId,
			'seq',
			String(commit.seq),
			'prev',
			String(commit.prev)
		];
		const bytes = commit.updates?.reduce((n, u) => n + u.length, 0) ?? Infinity;
		if (commit.updates && bytes <= MAX_RELAYED_BYTES) {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, commit.updates.length);
			for (const u of commit.updates) encoding.writeVarUint8Array(e, u);
			fields.push('updates', Buffer.from(encoding.toUint8Array(e)));
		}
		const key = this.streamKey(commit.docId);
		this.commands
			.pipeline()
			.xadd(key, 'MAXLEN', '~', STREAM_LENGTH, '*', ...fields)
			.expire(key, STREAM_TTL_S)
			.exec()
			.catch(() => undefined);
	}

	publishUpdate(docId: string, update: Uint8Array): void {
		if (update.length <= MAX_RELAYED_BYTES) this.publishLive(docId, LIVE_UPDATE, update);
	}

	publishPresence(docId: string, update: Uint8Array): void {
		this.publishLive(docId, LIVE_PRESENCE, update);
	}

	private publishLive(docId: string, kind: number, payload: Uint8Array): void {
		const e = encoding.createEncoder();
		encoding.writeVarString(e, this.processId);
		encoding.writeVarUint(e, kind);
		encoding.writeVarUint8Array(e, payload);
		this.commands
			.publish(this.liveChannel(docId), Buffer.from(encoding.toUint8Array(e)))
			.catch(() => undefined);
	}

	private onLive(channel: string, message: Buffer): void {
		const prefix = `${this.prefix}live:`;
		if (!channel.startsWith(prefix)) return;
		const docId = channel.slice(prefix.length);
		try {
			const d = decoding.createDecoder(message);
			if (decoding.readVarString(d) === this.processId) return;
			const kind = decoding.readVarUint(d);
			const payload = decoding.readVarUint8Array(d);
			if (kind === LIVE_UPDATE) this.listener?.update(docId, payload);
			else if (kind === LIVE_PRESENCE) this.listener?.presence(docId, payload);
		} catch (err) {
			this.log.warn('a malformed message on the relay', { error: String(err) });
		}
	}

	/** Reads every followed doc's stream, as long as the relay is open. */
	private async readLoop(): Promise<void> {
		while (!this.closed) {
			const docs = Array.from(this.following.keys());
			if (docs.length === 0) {
				await sleep(READ_BLOCK_MS);
				continue;
			}
			let result: [Buffer, [Buffer, Buffer[]][]][] | null;
			try {
				result = (await this.reader.xreadBuffer(
					'COUNT',
					100,
					'BLOCK',
					READ_BLOCK_MS,
					'STREAMS',
					...docs.map((id) => this.streamKey(id)),
					...docs.map((id) => this.following.get(id)!)
				)) as [Buffer, [Buffer, Buffer[]][]][] | null;
				if (this.down) {
					this.down = false;
					this.log.info('the relay (Redis) is back');
				}
			} catch (err) {
				if (this.closed) return;
				if (!this.down) {
					this.down = true;
					this.log.warn('the relay (Redis) is unreachable; catching up from the store meanwhile', {
						error: String(err)
					});
				}
				await sleep(RETRY_MS);
				continue;
			}
			for (const [key, entries] of result ?? []) {
				const docId = key.toString().slice(`${this.prefix}doc:`.length);
				for (const [id, fields] of entries) {
					if (!this.following.has(docId)) break;
					this.following.set(docId, id.toString());
					this.onCommit(docId, fields);
				}
			}
		}
	}

	private onCommit(docId: string, fields: Buffer[]): void {
		const values = new Map<string, Buffer>();
		for (let i = 0; i + 1 < fields.length; i += 2)
			values.set(fields[i]!.toString(), fields[i + 1]!);
		if (values.get('from')?.toString() === this.processId) return;
		const seq = Number(values.get('seq')?.toString());
		const prev = Number(values.get('prev')?.toString());
		if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(prev)) return;
		let updates: Uint8Array[] | null = null;
		const data = values.get('updates');
		if (data) {
			try {
				const d = decoding.createDecoder(data);
				const n = decoding.readVarUint(d);
				updates = [];
				for (let i = 0; i < n; i++) updates.push(decoding.readVarUint8Array(d));
			} catch {
				updates = null; // read from the store instead
			}
		}
		this.listener?.commit({ docId, seq, prev, updates });
	}

	async close(): Promise<void> {
		this.closed = true;
		this.reader.disconnect();
		await this.reading.catch(() => undefined);
		await Promise.all(
			[this.commands, this.subscriber].map((r) => r.quit().catch(() => r.disconnect()))
		);
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
