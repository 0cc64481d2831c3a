// A WebSocket client by hand on a raw TCP socket: for frames the `ws` library refuses to send, and
// for writing many frames in one TCP write (so the server reads them in one event-loop turn).
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface Frame {
	/** The first byte: FIN, RSV bits and opcode. */
	first: number;
	payload: Buffer;
}

export interface RawSocket {
	/** Frames received so far (server frames are unmasked). */
	readonly frames: Frame[];
	/** Writes every frame in one socket write. */
	write(frames: { first?: number; payload: Uint8Array; masked?: boolean }[]): void;
	/** Resolves with the close code once the server's close frame arrives. */
	closed: Promise<number>;
	/** Stops reading: the server's writes pile up in its own buffers, as with a stalled reader. */
	pause(): void;
	destroy(): void;
}

const BINARY = 0x82; // FIN + binary

function encodeFrame(first: number, payload: Uint8Array, masked: boolean): Buffer {
	const len = payload.length;
	const header =
		len < 126
			? Buffer.from([first, (masked ? 0x80 : 0) | len])
			: Buffer.from([first, (masked ? 0x80 : 0) | 126, len >> 8, len & 0xff]);
	if (len > 0xffff) throw new Error('frame too long for this helper');
	if (!masked) return Buffer.concat([header, payload]);
	const mask = randomBytes(4);
	return Buffer.concat([header, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]);
}

/** Upgrades a raw TCP socket by hand (with the session cookie and our Origin). */
export function openRawSocket(port: number, path: string, cookie: string): Promise<RawSocket> {
	return new Promise((resolve, reject) => {
		const socket: Socket = connect(port, '127.0.0.1');
		const frames: Frame[] = [];
		let buffer = Buffer.alloc(0);
		let upgraded = false;
		let onClose: (code: number) => void = () => {};
		const raw: RawSocket = {
			frames,
			write: (list) =>
				socket.write(
					Buffer.concat(
						list.map((f) => encodeFrame(f.first ?? BINARY, f.payload, f.masked ?? true))
					)
				),
			closed: new Promise((r) => (onClose = r)),
			pause: () => {
				socket.pause();
			},
			destroy: () => socket.destroy()
		};
		socket.on('connect', () => {
			socket.write(
				`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
					`Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
					`Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:${port}\r\nCookie: ${cookie}\r\n\r\n`
			);
		});
		socket.on('data', (chunk: Buffer) => {
			buffer = Buffer.concat([buffer, chunk]);
			if (!upgraded) {
				const end = buffer.indexOf('\r\n\r\n');
				if (end < 0) return;
				const head = buffer.subarray(0, end).toString();
				if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(head));
				upgraded = true;
				buffer = buffer.subarray(end + 4);
				resolve(raw);
			}
			while (buffer.length >= 2) {
				const len = buffer[1]! & 0x7f;
				const offset = len === 126 ? 4 : len === 127 ? 10 : 2;
				if (buffer.length < offset) return;
				const size =
					len === 126
						? buffer.readUInt16BE(2)
						: len === 127
							? Number(buffer.readBigUInt64BE(2))
							: len;
				if (buffer.length < offset + size) return;
				const frame = { first: buffer[0]!, payload: buffer.subarray(offset, offset + size) };
				frames.push(frame);
				if ((frame.first & 0x0f) === 8) {
					onClose(frame.payload.readUInt16BE(0));
					socket.destroy();
				}
				buffer = buffer.subarray(offset + size);
			}
		});
		socket.on('error', (err) => reject(err));
	});
}
