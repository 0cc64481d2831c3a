// Workloads 3 and 4: resident memory per idle connection and per loaded table; the cost of
// presence with many idle clients (messages the server sends, CPU it spends).
import { BenchClient, connectAll, presenceFor } from './client.ts';
import { closeAll, loadTable, sleep } from './common.ts';
import type { RunningServer } from './servers.ts';

/** RSS growth per idle, synced connection (no presence), over `count` connections. */
export async function memoryPerConnection(server: RunningServer, count: number): Promise<number> {
	const holder = await loadTable(server, 'idle');
	await sleep(1000);
	const before = server.rssBytes();
	const clients = Array.from({ length: count }, () => new BenchClient(server.endpoint, 'idle'));
	await connectAll(clients, 50);
	await sleep(2000);
	const after = server.rssBytes();
	closeAll([holder, ...clients]);
	return (after - before) / count;
}

/** RSS growth per table loaded (one connection each keeps it loaded). */
export async function memoryPerTable(server: RunningServer, tables: number): Promise<number> {
	await sleep(500);
	const before = server.rssBytes();
	const holders: BenchClient[] = [];
	for (let i = 0; i < tables; i++) holders.push(await loadTable(server, `table${i}`));
	await sleep(2000);
	const after = server.rssBytes();
	closeAll(holders);
	return (after - before) / tables;
}

/**
 * `count` idle clients with presence on, renewing it every 15 s as y-protocols does: messages the
 * server sends and CPU it spends, both per minute, measured over `seconds` once all are connected.
 */
export async function presenceCost(
	server: RunningServer,
	count: number,
	seconds: number
): Promise<{ messagesPerMinute: number; cpuMsPerMinute: number }> {
	const holder = await loadTable(server, 'presence');
	const clients = [
		holder,
		...Array.from({ length: count - 1 }, () => new BenchClient(server.endpoint, 'presence'))
	];
	await connectAll(clients.slice(1), 50);
	clients.forEach((c, i) => c.setPresence(presenceFor(i)));
	await sleep(1000);
	const total = () => clients.reduce((sum, c) => sum + c.messagesIn, 0);
	const messages0 = total();
	const cpu0 = server.cpuSeconds();
	await sleep(seconds * 1000);
	const messages = total() - messages0;
	const cpu = server.cpuSeconds() - cpu0;
	closeAll(clients);
	return {
		messagesPerMinute: (messages / seconds) * 60,
		cpuMsPerMinute: ((cpu * 1000) / seconds) * 60
	};
}
