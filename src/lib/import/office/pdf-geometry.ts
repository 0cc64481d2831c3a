// The geometry of a PDF page as a table is drawn on it: ruling lines (thin filled rectangles or
// stroked segments, from pdf.js's operator list) grouped into tables, each with its column and row
// boundaries and the cells that span several of them where a ruling is missing.

/** A horizontal (y fixed) or vertical (x fixed) ruling, in page points, y growing downwards. */
export interface Ruling {
	at: number;
	from: number;
	to: number;
}

export interface TableFrame {
	xs: number[];
	ys: number[];
	/** Cell (row, column) → the master cell of the span it belongs to, as `row,column`. */
	master: (row: number, column: number) => [number, number];
	top: number;
	bottom: number;
	left: number;
	right: number;
}

const TOLERANCE = 2;
/** A page's table has at most this many columns and rows (the sheet limits are 50 and more). */
const MAX_COLUMNS = 60;
const MAX_ROWS = 400;

type Matrix = [number, number, number, number, number, number];

function multiply(m: Matrix, n: Matrix): Matrix {
	return [
		m[0] * n[0] + m[1] * n[2],
		m[0] * n[1] + m[1] * n[3],
		m[2] * n[0] + m[3] * n[2],
		m[2] * n[1] + m[3] * n[3],
		m[4] * n[0] + m[5] * n[2] + n[4],
		m[4] * n[1] + m[5] * n[3] + n[5]
	];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
	return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** The operator codes this reads (pdf.js's OPS, passed in so this file needs no pdf.js). */
export interface Ops {
	save: number;
	restore: number;
	transform: number;
	constructPath: number;
	stroke: number;
	closeStroke: number;
	fill: number;
	eoFill: number;
	fillStroke: number;
	eoFillStroke: number;
	closeFillStroke: number;
	closeEOFillStroke: number;
}

/** Thin shapes filled or stroked on a page, as rulings in top-down page coordinates. */
export function rulingsOf(
	fnArray: number[],
	argsArray: unknown[],
	ops: Ops,
	pageHeight: number,
	pageWidth: number,
	limit = 5_000
): { horizontal: Ruling[]; vertical: Ruling[] } {
	const horizontal: Ruling[] = [];
	const vertical: Ruling[] = [];
	const painted = new Set([
		ops.stroke,
		ops.closeStroke,
		ops.fill,
		ops.eoFill,
		ops.fillStroke,
		ops.eoFillStroke,
		ops.closeFillStroke,
		ops.closeEOFillStroke
	]);
	const strokes = new Set([ops.stroke, ops.closeStroke]);
	let ctm: Matrix = [1, 0, 0, 1, 0, 0];
	const stack: Matrix[] = [];
	const add = (x1: number, y1: number, x2: number, y2: number) => {
		if (horizontal.length + vertical.length >= limit) return;
		const [ax, ay] = apply(ctm, x1, y1);
		const [bx, by] = apply(ctm, x2, y2);
		const w = Math.abs(ax - bx);
		const h = Math.abs(ay - by);
		const top = pageHeight - Math.max(ay, by);
		const bottom = pageHeight - Math.min(ay, by);
		// Only what is on the page; thin pieces, however short (a dashed or dotted border is
		// drawn dash by dash, and joined again below), up to a thick 4pt border.
		if (bottom < 0 || top > pageHeight || Math.max(ax, bx) < 0 || Math.min(ax, bx) > pageWidth)
			return;
		// A dot (w ≈ h) may be part of either a horizontal or a vertical dotted border.
		if (h <= 4 && w >= h && w >= 0.5)
			horizontal.push({ at: (top + bottom) / 2, from: Math.min(ax, bx), to: Math.max(ax, bx) });
		if (w <= 4 && h >= w && h >= 0.5 && (h > w || h <= 4))
			vertical.push({ at: (ax + bx) / 2, from: top, to: bottom });
	};

	for (let i = 0; i < fnArray.length; i++) {
		const fn = fnArray[i];
		const args = argsArray[i] as unknown[];
		if (fn === ops.save) stack.push(ctm);
		else if (fn === ops.restore) ctm = stack.pop() ?? ctm;
		else if (fn === ops.transform) ctm = multiply(args as Matrix, ctm);
		else if (fn === ops.constructPath) {
			const [paint, [buffer]] = args as [number, [Float32Array | null]];
			if (!painted.has(paint) || !buffer) continue;
			const stroked = strokes.has(paint);
			// Each subpath: a thin rectangle is a ruling; a stroked straight segment is one too.
			let points: [number, number][] = [];
			const flush = () => {
				if (points.length >= 2) {
					const xs = points.map((p) => p[0]);
					const ys = points.map((p) => p[1]);
					if (stroked)
						for (let k = 1; k < points.length; k++)
							add(points[k - 1]![0], points[k - 1]![1], points[k]![0], points[k]![1]);
					else add(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
				}
				points = [];
			};
			for (let k = 0; k < buffer.length;) {
				const op = buffer[k++];
				if (op === 0) {
					flush();
					points.push([buffer[k]!, buffer[k + 1]!]);
					k += 2;
				} else if (op === 1) {
					points.push([buffer[k]!, buffer[k + 1]!]);
					k += 2;
				} else if (op === 2) {
					// A curve counts by its points: a dotted border's round dots are dots still.
					for (let q = 0; q < 6; q += 2) points.push([buffer[k + q]!, buffer[k + q + 1]!]);
					k += 6;
				} else if (op === 3) {
					for (let q = 0; q < 4; q += 2) points.push([buffer[k + q]!, buffer[k + q + 1]!]);
					k += 4;
				} else if (op === 4) {
					// A closed stroked shape (a cell drawn m l l l h S) has its closing edge too.
					if (stroked && points.length >= 2) points.push(points[0]!);
					flush();
				} else break;
			}
			flush();
		}
	}
	return { horizontal, vertical };
}

/** Rulings on one line joined where they touch or a dash's gap apart; what stays short is no ruling. */
function joined(rulings: Ruling[]): Ruling[] {
	const sorted = [...rulings].sort((a, b) => a.at - b.at || a.from - b.from);
	const out: Ruling[] = [];
	let line: Ruling[] = [];
	for (const r of sorted) {
		if (line.length > 0 && Math.abs(line[0]!.at - r.at) > TOLERANCE / 2) line = [];
		const last = line.at(-1);
		if (last && r.from <= last.to + 3) last.to = Math.max(last.to, r.to);
		else {
			const next = { ...r };
			line.push(next);
			out.push(next);
		}
	}
	return out.filter((r) => r.to - r.from >= 4);
}

/** Rulings by the boundary they lie on: the index of `bounds` within TOLERANCE of each, or none. */
function byBoundary(rulings: Ruling[], bounds: number[]): Ruling[][] {
	const out = bounds.map((): Ruling[] => []);
	for (const r of rulings) {
		let lo = 0;
		let hi = bounds.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (bounds[mid]! < r.at - TOLERANCE) lo = mid + 1;
			else hi = mid;
		}
		if (Math.abs(bounds[lo]! - r.at) <= TOLERANCE) out[lo]!.push(r);
	}
	return out;
}

/** Positions within TOLERANCE of each other, as one. */
function clustered(values: number[]): number[] {
	const out: number[] = [];
	for (const v of [...values].sort((a, b) => a - b)) {
		if (out.length > 0 && v - out.at(-1)! <= TOLERANCE) continue;
		out.push(v);
	}
	return out;
}

const covers = (r: Ruling, at: number, pos: number) =>
	Math.abs(r.at - at) <= TOLERANCE && r.from - TOLERANCE <= pos && pos <= r.to + TOLERANCE;

/** The tables drawn on a page: rulings that cross each other, grouped, each with its cells. */
export function tablesOf(horizontalIn: Ruling[], verticalIn: Ruling[]): TableFrame[] {
	const horizontal = joined(horizontalIn);
	const vertical = joined(verticalIn);
	// Group by crossing: a vertical ruling joins every horizontal one it crosses.
	const parent = horizontal.map((_, i) => i);
	const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
	const crossing = (v: Ruling, h: Ruling) =>
		v.from - TOLERANCE <= h.at &&
		h.at <= v.to + TOLERANCE &&
		h.from - TOLERANCE <= v.at &&
		v.at <= h.to + TOLERANCE;
	const groupOf = new Map<Ruling, number>();
	// `horizontal` is sorted by position: only those between a vertical's ends can cross it.
	for (const v of vertical) {
		let first = -1;
		let lo = 0;
		let hi = horizontal.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (horizontal[mid]!.at < v.from - TOLERANCE) lo = mid + 1;
			else hi = mid;
		}
		for (let i = lo; i < horizontal.length && horizontal[i]!.at <= v.to + TOLERANCE; i++) {
			if (!crossing(v, horizontal[i]!)) continue;
			if (first < 0) first = i;
			else parent[find(i)] = find(first);
		}
		if (first >= 0) groupOf.set(v, first);
	}
	const groups = new Map<number, { h: Ruling[]; v: Ruling[] }>();
	horizontal.forEach((h, i) => {
		const g = find(i);
		if (!groups.has(g)) groups.set(g, { h: [], v: [] });
		groups.get(g)!.h.push(h);
	});
	for (const [v, i] of groupOf) groups.get(find(i))!.v.push(v);

	const frames: TableFrame[] = [];
	for (const { h, v } of groups.values()) {
		const xs = clustered(v.map((r) => r.at));
		const ys = clustered(h.map((r) => r.at));
		// A grid finer than a table (graph paper, a pattern) is not one: its text reads as lines.
		if (xs.length < 2 || ys.length < 2 || xs.length > MAX_COLUMNS + 1 || ys.length > MAX_ROWS + 1)
			continue;
		const vAt = byBoundary(v, xs);
		const hAt = byBoundary(h, ys);
		const rows = ys.length - 1;
		const columns = xs.length - 1;
		// Cells joined where the ruling between them is missing: a merged cell.
		const cell = Array.from({ length: rows * columns }, (_, i) => i);
		const root = (i: number): number => (cell[i] === i ? i : (cell[i] = root(cell[i]!)));
		const join = (a: number, b: number) => {
			const [ra, rb] = [root(a), root(b)];
			if (ra !== rb) cell[Math.max(ra, rb)] = Math.min(ra, rb);
		};
		for (let r = 0; r < rows; r++) {
			const mid = (ys[r]! + ys[r + 1]!) / 2;
			for (let c = 0; c + 1 < columns; c++)
				if (!vAt[c + 1]!.some((rule) => covers(rule, xs[c + 1]!, mid)))
					join(r * columns + c, r * columns + c + 1);
		}
		for (let c = 0; c < columns; c++) {
			const mid = (xs[c]! + xs[c + 1]!) / 2;
			for (let r = 0; r + 1 < rows; r++)
				if (!hAt[r + 1]!.some((rule) => covers(rule, ys[r + 1]!, mid)))
					join(r * columns + c, (r + 1) * columns + c);
		}
		frames.push({
			xs,
			ys,
			master: (row, column) => {
				const m = root(row * columns + column);
				return [Math.floor(m / columns), m % columns];
			},
			top: ys[0]!,
			bottom: ys.at(-1)!,
			left: xs[0]!,
			right: xs.at(-1)!
		});
	}
	return frames.sort((a, b) => a.top - b.top);
}
