// The installed-app side: the service worker's update prompt, the install button, and whether the
// browser promised to keep our offline data.
import { registerSW } from 'virtual:pwa-register';

interface BeforeInstallPromptEvent extends Event {
	prompt(): Promise<void>;
	userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const UPDATE_CHECK_MS = 60 * 60 * 1000;

export type Persistence = 'unknown' | 'persisted' | 'refused' | 'unsupported';

export class Pwa {
	/** A new version is installed and waiting: reloading applies it. */
	needRefresh = $state(false);
	offlineReady = $state(false);
	canInstall = $state(false);
	persistence = $state<Persistence>('unknown');
	private installEvent: BeforeInstallPromptEvent | null = null;
	private updateSW: ((reload?: boolean) => Promise<void>) | null = null;
	private registration: ServiceWorkerRegistration | undefined;

	start(): void {
		if (!('serviceWorker' in navigator)) return;
		this.updateSW = registerSW({
			immediate: true,
			onNeedRefresh: () => (this.needRefresh = true),
			onOfflineReady: () => (this.offlineReady = true),
			onRegisteredSW: (_url, registration) => {
				this.registration = registration;
				if (!registration) return;
				setInterval(() => void this.checkForUpdate(), UPDATE_CHECK_MS);
			}
		});
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'visible') void this.checkForUpdate();
		});
		window.addEventListener('beforeinstallprompt', (e) => {
			e.preventDefault();
			this.installEvent = e as BeforeInstallPromptEvent;
			this.canInstall = true;
		});
		window.addEventListener('appinstalled', () => {
			this.installEvent = null;
			this.canInstall = false;
		});
		void this.askPersistence();
	}

	async checkForUpdate(): Promise<void> {
		if (!this.registration || !navigator.onLine) return;
		try {
			await this.registration.update();
		} catch {
			// offline or server down: try again at the next check
		}
	}

	/** Activates the waiting version and reloads; edits are already in IndexedDB. */
	async applyUpdate(): Promise<void> {
		// workbox-window reloads only when the page was controlled at registration; a first visit
		// that then received an update was not, so reload on the controller change ourselves.
		navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
			once: true
		});
		await this.updateSW?.(true);
	}

	async install(): Promise<void> {
		const event = this.installEvent;
		if (!event) return;
		await event.prompt();
		await event.userChoice;
		this.installEvent = null;
		this.canInstall = false;
	}

	/** Asks the browser not to evict our IndexedDB under storage pressure. */
	async askPersistence(): Promise<void> {
		if (!navigator.storage?.persist) {
			this.persistence = 'unsupported';
			return;
		}
		try {
			const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
			this.persistence = granted ? 'persisted' : 'refused';
		} catch {
			this.persistence = 'refused';
		}
	}
}
