// Inspects a zip before any unzip library touches it, so a hostile upload (a zip bomb, thousands
// of entries, sizes that lie, not a zip at all) is refused in milliseconds, not after it has
// exhausted memory. Reads the central directory (APPNOTE.TXT 4.3.12–4.3.16) itself.

export class ZipGuardError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ZipGuardError';
	}
}

const MB = 1024 * 1024;
export const ZIP_LIMITS = {
	maxBytes: 10 * MB,
	maxTotalUncompressed: 100 * MB,
	maxEntries: 1000,
	/** An entry is refused when it expands more than this many times *and* past ratioFloor. */
	maxRatio: 200,
	ratioFloor: 10 * MB
} as const;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;

export type ZipEntry = {
	name: string;
	method: number;
	compressedSize: number;
	uncompressedSize: number;
	localOffset: number;
};

/** The entries the central directory lists, refused when the numbers it claims are hostile. */
export function inspectZip(bytes: Uint8Array): ZipEntry[] {
	if (bytes.byteLength > ZIP_LIMITS.maxBytes) {
		throw new ZipGuardError(
			`ファイルが大きすぎます（${mb(bytes.byteLength)} MB。${mb(ZIP_LIMITS.maxBytes)} MB まで）`
		);
	}
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const eocd = findEndOfDirectory(view);
	if (eocd < 0) throw new ZipGuardError(NOT_A_ZIP);

	const disk = view.getUint16(eocd + 4, true);
	const directoryDisk = view.getUint16(eocd + 6, true);
	const count = view.getUint16(eocd + 10, true);
	const directorySize = view.getUint32(eocd + 12, true);
	const directoryOffset = view.getUint32(eocd + 16, true);
	if (disk !== 0 || directoryDisk !== 0) throw new ZipGuardError(`${BROKEN}（分割 zip です）`);
	// 0xFFFF (a ZIP64 archive) lands here too: an .xlsx this small never needs ZIP64.
	if (count > ZIP_LIMITS.maxEntries) {
		throw new ZipGuardError(
			`zip の中のファイルが多すぎます（${count}個。${ZIP_LIMITS.maxEntries}個まで）`
		);
	}
	if (directoryOffset + directorySize > eocd) throw new ZipGuardError(`${BROKEN}（目次の位置）`);

	const entries: ZipEntry[] = [];
	let total = 0;
	let at = directoryOffset;
	for (let index = 0; index < count; index++) {
		if (at + CENTRAL_SIZE > eocd || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
			throw new ZipGuardError(`${BROKEN}（目次の${index + 1}番目）`);
		}
		const nameLength = view.getUint16(at + 28, true);
		const entry: ZipEntry = {
			method: view.getUint16(at + 10, true),
			compressedSize: view.getUint32(at + 20, true),
			uncompressedSize: view.getUint32(at + 24, true),
			localOffset: view.getUint32(at + 42, true),
			name: new TextDecoder().decode(
				bytes.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength)
			)
		};
		at += CENTRAL_SIZE + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);

		// ZIP64's 0xFFFFFFFF placeholders count as 4 GB, so they fail the total below.
		total += entry.uncompressedSize;
		if (total > ZIP_LIMITS.maxTotalUncompressed) {
			throw new ZipGuardError(
				`展開後のサイズが大きすぎます（${mb(ZIP_LIMITS.maxTotalUncompressed)} MB を超えます）`
			);
		}
		const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
		if (entry.uncompressedSize > ZIP_LIMITS.ratioFloor && ratio > ZIP_LIMITS.maxRatio) {
			throw new ZipGuardError(
				`zip の中の「${entry.name}」の圧縮率が異常です（${Math.round(ratio)}倍）。zip 爆弾の疑いがあります`
			);
		}
		entries.push(entry);
	}
	return entries;
}

/**
 * Inflates every entry with a cap at the size the directory claims, so a directory that lies
 * (small sizes over a deflate bomb) is caught here, not inside the unzip library that trusts it.
 */
export async function verifyZip(
	bytes: Uint8Array,
	entries: ZipEntry[]
): Promise<{ mergedRanges: number }> {
	let mergedRanges = 0;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	for (const entry of entries) {
		const at = entry.localOffset;
		if (at + LOCAL_SIZE > bytes.byteLength || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
			throw new ZipGuardError(`${BROKEN}（「${entry.name}」の位置）`);
		}
		const start = at + LOCAL_SIZE + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
		const end = start + entry.compressedSize;
		if (end > bytes.byteLength)
			throw new ZipGuardError(`${BROKEN}（「${entry.name}」が途切れています）`);

		let size: number;
		if (entry.method === STORED) {
			size = entry.compressedSize;
			if (/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name))
				mergedRanges += countMerges(bytes.subarray(start, end), new Uint8Array(0));
		} else if (entry.method === DEFLATED) {
			const sheet = /^xl\/worksheets\/[^/]+\.xml$/.test(entry.name);
			const inflated = await inflatedSize(
				bytes.subarray(start, end),
				entry.uncompressedSize,
				entry.name,
				sheet
			);
			size = inflated.size;
			mergedRanges += inflated.merges;
		} else {
			throw new ZipGuardError(
				`zip の中の「${entry.name}」の圧縮方式（${entry.method}）には対応していません`
			);
		}
		if (size > entry.uncompressedSize) {
			throw new ZipGuardError(
				`zip の中の「${entry.name}」が目次の大きさより大きく展開されます。zip 爆弾の疑いがあります`
			);
		}
	}
	return { mergedRanges };
}

// ExcelJS takes time quadratic in a sheet's merged ranges: they are counted before it loads.
const MERGE_TAG = new TextEncoder().encode('<mergeCell ');

function countMerges(chunk: Uint8Array, carry: Uint8Array): number {
	const data = carry.length === 0 ? chunk : new Uint8Array([...carry, ...chunk]);
	let count = 0;
	outer: for (let i = 0; i + MERGE_TAG.length <= data.length; i++) {
		for (let k = 0; k < MERGE_TAG.length; k++) if (data[i + k] !== MERGE_TAG[k]) continue outer;
		count++;
	}
	return count;
}

/** Bytes `data` inflates to, stopping as soon as it passes `limit`; merged ranges counted. */
async function inflatedSize(
	data: Uint8Array,
	limit: number,
	name: string,
	countMerged: boolean
): Promise<{ size: number; merges: number }> {
	const source = new ReadableStream<BufferSource>({
		start(controller) {
			controller.enqueue(data.slice());
			controller.close();
		}
	});
	const reader = source.pipeThrough(new DecompressionStream('deflate-raw')).getReader();
	let total = 0;
	let merges = 0;
	let carry = new Uint8Array(0);
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return { size: total, merges };
			total += value.byteLength;
			if (countMerged) {
				merges += countMerges(value, carry);
				carry = value.slice(-(MERGE_TAG.length - 1));
			}
			if (total > limit) {
				await reader.cancel();
				return { size: total, merges };
			}
		}
	} catch {
		throw new ZipGuardError(`${BROKEN}（「${name}」を展開できません）`);
	}
}

function findEndOfDirectory(view: DataView): number {
	const last = view.byteLength - EOCD_SIZE;
	for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
		if (view.getUint32(at, true) !== EOCD_SIGNATURE) continue;
		// The comment must reach exactly to the end, or these four bytes were data, not a record.
		if (at + EOCD_SIZE + view.getUint16(at + 20, true) === view.byteLength) return at;
	}
	return -1;
}

const NOT_A_ZIP = '.xlsx ファイルではありません（zip 形式として読めません）';
const BROKEN = 'zip ファイルが壊れています';

function mb(bytes: number): string {
	return (bytes / MB).toFixed(1).replace(/\.0$/, '');
}
