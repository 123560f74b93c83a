'use client';
import { useEffect, useState } from 'react';
import {
  DesktopPermission, desktopPermission, loadNotificationPrefs, NotificationPrefs, playChime, requestDesktopPermission, saveNotificationPrefs,
} from '@/lib/notifications';

const PERMISSION_TEXT: Record<DesktopPermission, string> = {
  granted: 'This browser shows notifications from Relay Chat.',
  default: 'Get a notification when a message comes while this tab is in the background or another chat is open.',
  denied: 'Notifications are blocked for this site. Allow them in the browser’s site settings to turn them on.',
  unsupported: 'This browser cannot show notifications.',
};

/** Desktop notifications and sound, for this browser. The browser's permission is asked only from here. */
export function NotificationSettings() {
  const [permission, setPermission] = useState<DesktopPermission>('default');
  const [prefs, setPrefs] = useState<NotificationPrefs>({ desktop: true, sound: false });

  useEffect(() => {
    setPermission(desktopPermission());
    setPrefs(loadNotificationPrefs());
  }, []);

  const update = (next: NotificationPrefs) => {
    setPrefs(next);
    saveNotificationPrefs(next);
  };

  return (
    <section className="space-y-3 rounded-2xl p-4 ring-1 ring-slate-200 dark:ring-slate-800" aria-labelledby="notifications-h" data-testid="notification-settings">
      <h2 id="notifications-h" className="font-semibold">Notifications</h2>
      <p className="text-sm text-slate-500" data-testid="notification-permission" data-permission={permission}>{PERMISSION_TEXT[permission]}</p>
      {permission === 'default' && (
        <button
          onClick={() => void requestDesktopPermission().then((p) => {
            setPermission(p);
            if (p === 'granted') update({ ...prefs, desktop: true });
          })}
          className="rounded-lg bg-brand-500 px-4 py-2 text-sm font-medium text-white"
          data-testid="enable-notifications"
        >
          Turn on desktop notifications
        </button>
      )}
      {permission === 'granted' && (
        <label className="flex items-center justify-between gap-3 text-sm">
          Desktop notifications
          <input type="checkbox" checked={prefs.desktop} onChange={(e) => update({ ...prefs, desktop: e.target.checked })} className="h-4 w-4" data-testid="desktop-notifications-toggle" />
        </label>
      )}
      <label className="flex items-center justify-between gap-3 text-sm">
        Play a sound with notifications
        <input
          type="checkbox"
          checked={prefs.sound}
          onChange={(e) => {
            update({ ...prefs, sound: e.target.checked });
            if (e.target.checked) playChime();
          }}
          className="h-4 w-4"
          data-testid="notification-sound-toggle"
        />
      </label>
      <p className="text-xs text-slate-500">Muted chats and your own messages never notify.</p>
    </section>
  );
}
