// The service worker of the installable web app: it shows Web Push notifications (sent by the server only while
// this user has no live connection) and opens the chat when one is clicked. It caches nothing: the app needs the
// server to be of any use, and a stale copy of it would be worse than none.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let data = null;
  try {
    data = event.data ? event.data.json() : null;
  } catch {
    data = null;
  }
  if (!data || typeof data.chatId !== 'string') return;
  event.waitUntil(
    self.registration.showNotification(String(data.title || 'New message'), {
      body: String(data.body || ''),
      // One notification per chat: a newer message replaces the older one instead of piling up.
      tag: `chat:${data.chatId}`,
      renotify: true,
      icon: '/icons/icon-192.png',
      data: { chatId: data.chatId },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const chatId = event.notification.data && event.notification.data.chatId;
  const url = chatId ? `/chats?c=${encodeURIComponent(chatId)}` : '/chats';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) return open.focus().then((w) => (w && 'navigate' in w ? w.navigate(url) : undefined));
      return self.clients.openWindow(url);
    }),
  );
});
