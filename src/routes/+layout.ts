// The data lives in the browser (IndexedDB + sync), so the app renders on the client only.
export const ssr = false;
export const prerender = false;
