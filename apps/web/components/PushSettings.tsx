'use client';
import { useEffect, useState } from 'react';
import { currentPushSubscription, disablePush, enablePush, pushSupported } from '@/lib/web-push';
import { showError } from '@/lib/toasts';

/**
 * "Notifications on this device": Web Push for when no tab of the app is open. The browser's permission is asked
 * only here, from the user's click, never on load.
 */
export function PushSettings() {
  const [state, setState] = useState<'loading' | 'unsupported' | 'on' | 'off'>('loading');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!pushSupported()) return setState('unsupported');
    void currentPushSubscription().then((s) => setState(s && Notification.permission === 'granted' ? 'on' : 'off'));
  }, []);

  async function toggle() {
    setBusy(true);
    try {
      if (state === 'on') {
        await disablePush();
        setState('off');
      } else {
        await enablePush();
        setState('on');
      }
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="space-y-3 rounded-2xl p-4 ring-1 ring-slate-200 dark:ring-slate-800" aria-labelledby="push-h" data-testid="push-settings">
      <h2 id="push-h" className="font-semibold">Notifications on this device</h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Get a notification for new messages when Relay Chat is not open. Muted chats stay quiet.
      </p>
      {state === 'unsupported' ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">This browser cannot receive push notifications.</p>
      ) : (
        <label className="flex items-center gap-3">
          <input type="checkbox" role="switch" checked={state === 'on'} disabled={busy || state === 'loading'} onChange={() => void toggle()} data-testid="push-toggle" className="h-5 w-5 accent-brand-500" />
          <span>Push notifications</span>
        </label>
      )}
    </section>
  );
}
