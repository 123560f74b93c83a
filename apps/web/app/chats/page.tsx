'use client';
import { useCallback, useEffect, useState } from 'react';
import { ConnectionBanner } from '@/components/ConnectionBanner';
import { Icon } from '@/components/Icon';
import { LiveRegion } from '@/components/LiveRegion';
import type { SearchJump } from '@/components/MessageSearch';
import { Sidebar } from '@/components/Sidebar';
import { Splash } from '@/components/Splash';
import { TabBadge } from '@/components/TabBadge';
import { Thread } from '@/components/Thread';
import { closeThread, startEngine, stopEngine } from '@/lib/engine';
import { fetchMe, goToSignIn } from '@/lib/session';
import { useStore } from '@/lib/store';

/** The selected chat lives in `?c=` (a static export has no dynamic segments); back/forward follow it. */
function chatFromUrl(): string | null {
  return new URLSearchParams(location.search).get('c');
}

export default function ChatsPage() {
  const me = useStore((s) => s.me);
  const [selected, setSelected] = useState<string | null>(null);
  // A search result to open: the chat, at that message (`n` tells two clicks on one result apart).
  const [jump, setJump] = useState<(SearchJump & { n: number }) | null>(null);

  useEffect(() => {
    setSelected(chatFromUrl());
    const onPop = () => setSelected(chatFromUrl());
    window.addEventListener('popstate', onPop);
    let stopped = false;
    void fetchMe().then((user) => {
      if (stopped) return;
      if (!user) return goToSignIn();
      void startEngine(user, goToSignIn).catch(() => undefined);
    });
    return () => {
      stopped = true;
      window.removeEventListener('popstate', onPop);
      stopEngine();
    };
  }, []);

  const select = useCallback((chatId: string | null) => {
    if (chatId === chatFromUrl()) return;
    if (!chatId) closeThread();
    history.pushState(null, '', chatId ? `/chats?c=${encodeURIComponent(chatId)}` : '/chats');
    setSelected(chatId);
  }, []);

  const openResult = useCallback(
    (target: SearchJump) => {
      select(target.chatId);
      setJump({ ...target, n: Date.now() });
    },
    [select],
  );

  if (!me) return <Splash />;

  return (
    <div className="flex h-[100dvh] flex-col">
      <ConnectionBanner />
      <LiveRegion />
      <TabBadge />
      <div className="flex min-h-0 flex-1">
        {/* Phone: one pane (list, or the open chat with a back button). Desktop: both. */}
        <aside
          className={`${selected ? 'hidden md:flex' : 'flex'} w-full flex-col border-r border-slate-200 md:w-80 lg:w-96 dark:border-slate-800`}
        >
          <Sidebar selected={selected} onSelect={select} onJump={openResult} />
        </aside>
        <main className={`${selected ? 'flex' : 'hidden md:flex'} min-w-0 flex-1 flex-col`}>
          {selected ? (
            <Thread key={selected} chatId={selected} onBack={() => select(null)} jump={jump?.chatId === selected ? jump : null} />
          ) : (
            <div className="flex flex-1 flex-col items-center justify-center gap-2 text-slate-500">
              <span className="flex h-16 w-16 items-center justify-center rounded-2xl bg-brand-50 text-brand-500 dark:bg-slate-900" aria-hidden>
                <Icon name="compose" size={30} />
              </span>
              <p>Pick a chat, or start a new one.</p>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
