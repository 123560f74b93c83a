'use client';
import { api } from './api';

/** Whether this browser can receive Web Push at all (service workers, the Push API, notifications). */
export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

async function registration(): Promise<ServiceWorkerRegistration> {
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  return navigator.serviceWorker.ready;
}

/** This device's current subscription, if any (without asking for anything). */
export async function currentPushSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const found = await navigator.serviceWorker.getRegistration('/');
  return found ? found.pushManager.getSubscription() : null;
}

/**
 * Turns push on for this device: asks for the permission (only ever from a click in Settings), subscribes with
 * the server's VAPID key and hands the subscription to the server, which keeps one per signed-in device.
 */
export async function enablePush(): Promise<void> {
  if (!pushSupported()) throw new Error('This browser cannot receive push notifications');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('Notifications are blocked for this site in the browser settings');
  const { publicKey } = await api<{ publicKey: string }>('/push/public-key');
  const sw = await registration();
  // A subscription left from before may be for another server key (or another person here): start afresh.
  await (await sw.pushManager.getSubscription())?.unsubscribe();
  const subscription = await sw.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
  await api('/push/subscription', { method: 'PUT', body: subscription.toJSON() });
}

/** Turns push off for this device, on the server and in the browser. */
export async function disablePush(): Promise<void> {
  const subscription = await currentPushSubscription();
  await api('/push/subscription', { method: 'DELETE' }).catch(() => undefined);
  await subscription?.unsubscribe();
}

/** Sign-out: the server ends the subscription with the session; the browser forgets it too (the next person here opts in). */
export async function forgetPushOnThisDevice(): Promise<void> {
  await (await currentPushSubscription().catch(() => null))?.unsubscribe().catch(() => undefined);
}
