/// <reference types="vite/client" />
// Where a browser finds pdf.js's own worker (a file of the build, precached for offline use). On the
// page pdf.js starts it from its URL; inside the import's worker pdf.js cannot (it reads
// `window.location` to do so, and falls back to running its worker in that thread, which takes over
// the thread's messages), so it is handed a worker started here.
import { GlobalWorkerOptions } from 'pdfjs-dist/legacy/build/pdf.mjs';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';

if (typeof window === 'undefined') {
	GlobalWorkerOptions.workerPort = new Worker(workerUrl, { type: 'module' });
} else {
	GlobalWorkerOptions.workerSrc = workerUrl;
}
