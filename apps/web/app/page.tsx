'use client';
import { useEffect } from 'react';
import { fetchMe } from '@/lib/session';
import { Splash } from '@/components/Splash';

/** The entry: straight to the chats when a session exists, else to sign-in. */
export default function Home() {
  useEffect(() => {
    void fetchMe().then((me) => location.replace(me ? '/chats' : '/sign-in'));
  }, []);
  return <Splash />;
}
