'use client';
import { useStore } from '@/lib/store';
import { Avatar } from './Avatar';

/**
 * An avatar with the online dot of one user (a 1:1 chat's peer): it alone re-renders when that user's presence
 * changes, not the list row or header around it.
 */
export function PresenceAvatar({ userId, ...avatar }: { userId: string | null; name: string; url?: string | null; size?: number }) {
  const online = useStore((s) => !!userId && !!s.presence[userId]?.online);
  return <Avatar {...avatar} online={online} />;
}
