// The current locale (Japanese by default, English second), remembered on the device. The English
// strings are a module of their own, fetched when English is first chosen: most never choose it,
// and the table page's first load is smaller without them.
import { ja, type Messages } from './ja.ts';

export type Locale = 'ja' | 'en';
const LOCALE_KEY = 'shinko:locale';

class I18n {
	locale = $state<Locale>('ja');
	private english = $state.raw<Messages | null>(null);
	readonly t: Messages = $derived(this.locale === 'en' && this.english ? this.english : ja);

	constructor() {
		if (typeof localStorage !== 'undefined' && localStorage.getItem(LOCALE_KEY) === 'en') {
			void this.use('en');
		}
	}

	async toggle(): Promise<void> {
		const next = this.locale === 'ja' ? 'en' : 'ja';
		if (!(await this.use(next))) return;
		try {
			localStorage.setItem(LOCALE_KEY, next);
		} catch {
			// not remembered: harmless
		}
	}

	/** Switches once the locale's strings are here; false when they could not be fetched. */
	private async use(locale: Locale): Promise<boolean> {
		if (locale === 'en' && !this.english) {
			try {
				this.english = (await import('./en.ts')).en;
			} catch {
				return false;
			}
		}
		this.locale = locale;
		document.documentElement.lang = locale;
		return true;
	}
}

export const i18n = new I18n();
