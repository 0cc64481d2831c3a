// The floor of relay latency on this machine: a reference, not a server anyone would run. It does
// the least a relay can do: each update and presence message goes on to the room's other sockets
// as it came, unread past its first two bytes, unapplied and unstored. A Y.Doc per room serves only
// the sync handshake, so that the bench's workloads can load a table and connect clients; edits
// relayed after that are not in it. `bench/relay-floor.ts` measures it beside the three servers.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { serve } from './serve-ws.js';

const SYNC = 0;
const AWARENESS = 1;

/** @type {Map<string, { doc: Y.Doc, sockets: Set<import('ws').WebSocket> }>} */
const rooms = new Map();

/** @param {number} sub @param {Uint8Array} payload */
function syncMessage(sub, payload) {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, SYNC);
	encoding.writeVarUint(e, sub);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => {
	const name = (req.url ?? '/').slice(1);
	let room = rooms.get(name);
	if (!room) rooms.set(name, (room = { doc: new Y.Doc(), sockets: new Set() }));
	const { doc, sockets } = room;
	sockets.add(ws);
	ws.send(syncMessage(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(doc)));
	ws.on('message', (/** @type {Buffer} */ data) => {
		const forward = () => {
			for (const other of sockets) if (other !== ws) other.send(data);
		};
		if (data[0] === AWARENESS) return forward();
		if (data[0] !== SYNC) return;
		if (data[1] === syncProtocol.messageYjsUpdate) return forward();
		const d = decoding.createDecoder(data);
		decoding.readVarUint(d);
		const sub = decoding.readVarUint(d);
		const payload = decoding.readVarUint8Array(d);
		if (sub === syncProtocol.messageYjsSyncStep1) {
			ws.send(syncMessage(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(doc, payload)));
		} else if (sub === syncProtocol.messageYjsSyncStep2) Y.applyUpdate(doc, payload);
	});
	ws.on('close', () => sockets.delete(ws));
});

serve(wss);
