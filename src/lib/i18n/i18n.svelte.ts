// The current locale (Japanese by default, English second), remembered on the device.
import { en } from './en.ts';
import { ja, type Messages } from './ja.ts';

export type Locale = 'ja' | 'en';
const LOCALE_KEY = 'shinko:locale';

class I18n {
	locale = $state<Locale>('ja');
	readonly t: Messages = $derived(this.locale === 'en' ? en : ja);

	constructor() {
		if (typeof localStorage !== 'undefined' && localStorage.getItem(LOCALE_KEY) === 'en') {
			this.locale = 'en';
		}
	}

	toggle(): void {
		this.locale = this.locale === 'ja' ? 'en' : 'ja';
		try {
			localStorage.setItem(LOCALE_KEY, this.locale);
		} catch {
			// not remembered: harmless
		}
		document.documentElement.lang = this.locale;
	}
}

export const i18n = new I18n();
