import { notificationPreview } from './notification-rules';

/**
 * Desktop notifications and the optional chime. The permission is asked only from Settings (a click there):
 * browsers ignore or penalize asking on load, and people deny what they did not ask for. Preferences live in
 * this browser (localStorage): they are about this device.
 */
export interface NotificationPrefs {
  /** Show desktop notifications (once the browser allows them). On by default: granting the permission is the opt-in. */
  desktop: boolean;
  /** A short chime with each notification. Off by default. */
  sound: boolean;
}

const PREFS_KEY = 'relay.notifications';
const DEFAULTS: NotificationPrefs = { desktop: true, sound: false };

export function loadNotificationPrefs(): NotificationPrefs {
  try {
    const stored = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Partial<NotificationPrefs>;
    return { desktop: stored.desktop !== false, sound: stored.sound === true };
  } catch {
    return DEFAULTS;
  }
}

export function saveNotificationPrefs(prefs: NotificationPrefs): void {
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof window !== 'undefined' && 'Notification' in window ? Notification.permission : 'unsupported';
}

/** Asks the browser; only ever called from a click in Settings. */
export async function requestDesktopPermission(): Promise<DesktopPermission> {
  if (desktopPermission() === 'unsupported') return 'unsupported';
  return Notification.requestPermission();
}

export interface MessageNotice {
  chatId: string;
  sender: string;
  /** The group's name; null for a 1:1 chat (the sender is the chat). */
  chatTitle: string | null;
  text: string | null;
  hasImage: boolean;
  onOpen: () => void;
}

/** Shows one notification per chat (a newer one replaces the chat's last), and chimes when asked to. */
export function notifyMessage(notice: MessageNotice): void {
  const prefs = loadNotificationPrefs();
  if (!prefs.desktop || desktopPermission() !== 'granted') return;
  const title = notice.chatTitle ? `${notice.sender} · ${notice.chatTitle}` : notice.sender;
  try {
    const shown = new Notification(title, { body: notificationPreview(notice.text, notice.hasImage), tag: `chat-${notice.chatId}`, silent: !prefs.sound });
    shown.onclick = () => {
      window.focus();
      notice.onOpen();
      shown.close();
    };
  } catch {
    // Some browsers (Android Chrome) allow notifications from a service worker only: nothing to show here.
    return;
  }
  if (prefs.sound) playChime();
}

let audio: AudioContext | null = null;

/** Two short soft tones, made on the spot: no sound file to fetch or cache. */
export function playChime(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [i, frequency] of [880, 1320].entries()) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, start + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.12 + 0.18);
      tone.connect(gain).connect(audio.destination);
      tone.start(start + i * 0.12);
      tone.stop(start + i * 0.12 + 0.2);
    }
  } catch {
    // no audio output: the notification itself is enough
  }
}
