'use client';
import { useEffect } from 'react';
import { titleWithUnread } from '@/lib/notification-rules';
import { totalUnread, useStore } from '@/lib/store';

const BASE_TITLE = 'Relay Chat';
const SIZE = 64;

/** The app's icon, with a red badge carrying the count when there is one (a PNG data URL: CSP allows data: images). */
function drawFavicon(unread: number): string | null {
  const canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#2f7bf6';
  ctx.beginPath();
  // roundRect is recent (2022-2023 browsers); a square icon is fine where it is missing.
  if (typeof ctx.roundRect === 'function') ctx.roundRect(4, 4, 56, 56, 14);
  else ctx.rect(4, 4, 56, 56);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 36px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('R', 32, 35);
  if (unread > 0) {
    const label = unread > 99 ? '99+' : String(unread);
    ctx.fillStyle = '#ef4444';
    ctx.beginPath();
    ctx.arc(44, 20, 20, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.font = `bold ${label.length > 2 ? 18 : 26}px system-ui, sans-serif`;
    ctx.fillText(label, 44, 22);
  }
  return canvas.toDataURL('image/png');
}

/**
 * The total unread count (chats not muted) in the tab's title and on its favicon. Both follow the store, so a
 * read on another device (its receipt comes to this one) clears them too.
 */
export function TabBadge() {
  const unread = useStore(totalUnread);

  useEffect(() => {
    document.title = titleWithUnread(BASE_TITLE, unread);
    let link = document.querySelector<HTMLLinkElement>('link#app-favicon');
    if (!link) {
      link = document.createElement('link');
      link.id = 'app-favicon';
      link.rel = 'icon';
      link.type = 'image/png';
      document.head.appendChild(link);
    }
    const icon = drawFavicon(unread);
    if (icon) link.href = icon;
    link.dataset.unread = String(unread);
  }, [unread]);

  useEffect(() => () => void (document.title = BASE_TITLE), []);
  return null;
}
