// A WebSocket client by hand on a raw TCP socket, for frames the `ws` library refuses to send.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/** Upgrades a raw TCP socket by hand, sends one frame with `first` as its first byte, and
 * resolves with the close code the server sends back. */
export function rawFrameClose(
	port: number,
	path: string,
	cookie: string,
	first: number,
	masked: boolean
): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1');
		const timer = setTimeout(() => reject(new Error('no close frame')), 5000);
		let buffer = Buffer.alloc(0);
		let upgraded = false;
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
				if (!buffer.subarray(0, end).toString().startsWith('HTTP/1.1 101')) {
					return reject(new Error(buffer.subarray(0, end).toString()));
				}
				upgraded = true;
				buffer = buffer.subarray(end + 4);
				const payload = Buffer.from([0, 0, 0]);
				const mask = randomBytes(4);
				const header = Buffer.from([first, (masked ? 0x80 : 0) | payload.length]);
				const body = masked ? payload.map((b, i) => b ^ mask[i % 4]!) : payload;
				socket.write(Buffer.concat([header, masked ? mask : Buffer.alloc(0), body]));
			}
			// Server frames are unmasked; skip data frames until the close frame (opcode 8).
			while (buffer.length >= 2) {
				const len = buffer[1]! & 0x7f;
				const offset = len === 126 ? 4 : len === 127 ? 10 : 2;
				const size =
					len === 126
						? buffer.readUInt16BE(2)
						: len === 127
							? Number(buffer.readBigUInt64BE(2))
							: len;
				if (buffer.length < offset + size) return;
				if ((buffer[0]! & 0x0f) === 8) {
					clearTimeout(timer);
					socket.destroy();
					return resolve(buffer.readUInt16BE(offset));
				}
				buffer = buffer.subarray(offset + size);
			}
		});
		socket.on('error', () => {});
	});
}
