// The HTTP server around a reference server's WebSocketServer (bench/stock-server.js,
// bench/floor-server.js): PORT on 127.0.0.1, `listening <port>` on stdout for bench/servers.ts.
import http from 'node:http';

/** @param {import('ws').WebSocketServer} wss a server made with `noServer: true` */
export function serve(wss) {
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
}
