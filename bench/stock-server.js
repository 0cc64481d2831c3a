// The stock y-websocket server (@y/websocket-server 0.1.1) as its README runs it: no persistence.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
const server = http.createServer((_req, res) => res.end('okay'));
server.on('upgrade', (req, socket, head) => {
	wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
	process.stdout.write(
		`listening ${/** @type {import('node:net').AddressInfo} */ (server.address()).port}\n`
	);
});
process.on('SIGTERM', () => process.exit(0));
