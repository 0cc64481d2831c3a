// Starts one real server on a free port with a fresh data dir, as `npm start` runs it: the built
// app and the server bundle (dist/server.js), both made by `npm run build`.
import { spawnServer, tempDataDir } from '../helpers/server.ts';

export default async function globalSetup() {
	const data = tempDataDir();
	const server = await spawnServer(data.dir, 0, {}, 'bundle');
	process.env.SHINKO_URL = server.url;
	process.env.SHINKO_DATA_DIR = data.dir;
	process.env.SHINKO_SERVER_PID = String(server.child.pid);
	return async () => {
		server.child.kill('SIGCONT');
		server.child.kill('SIGTERM');
		await new Promise((resolve) => server.child.once('exit', resolve));
		data.remove();
	};
}
