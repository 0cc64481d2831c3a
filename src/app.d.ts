// See https://svelte.dev/docs/kit/types#app.d.ts
/// <reference types="vite-plugin-pwa/client" />
declare global {
	namespace App {}
	interface Window {
		/** Shows a table's kept first screen, if there is one for this user (src/app.html). */
		shinkoShowFirstScreen?: (docId: string) => void;
	}
}

export {};
