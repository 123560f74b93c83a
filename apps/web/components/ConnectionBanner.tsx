'use client';
import { useStore } from '@/lib/store';

/** Tells "you are offline" (nothing to do but wait) from "reconnecting" (the server is being reached). */
export function ConnectionBanner() {
  const connection = useStore((s) => s.connection);
  if (connection === 'online') return null;
  return (
    <div
      role="status"
      data-testid="connection-banner"
      data-state={connection}
      className={`px-4 py-1.5 text-center text-sm font-medium ${
        connection === 'offline' ? 'bg-slate-700 text-white' : 'bg-amber-400 text-amber-950'
      }`}
    >
      {connection === 'offline' ? 'You are offline. Messages will be sent when you are back.' : 'Reconnecting…'}
    </div>
  );
}
