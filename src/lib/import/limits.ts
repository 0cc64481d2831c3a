// Limits every import format shares, so no format is a way around another's cap.

/**
 * Items in one table. A real 進行管理表 has under a hundred; 180,000 became a 125 MB update that
 * took the server 104 s and 3.5 GB to load at start-up.
 */
export const MAX_ITEMS = 5000;

/** What the text and xlsx importers say at the item past MAX_ITEMS (with its line or cell). */
export const TOO_MANY_ITEMS = `取り組み項目が多すぎます（${MAX_ITEMS}個まで。この行で${MAX_ITEMS + 1}個目です）`;
