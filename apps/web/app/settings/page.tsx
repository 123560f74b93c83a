'use client';
import { FormEvent, useEffect, useState } from 'react';
import { Avatar } from '@/components/Avatar';
import { Icon } from '@/components/Icon';
import { PushSettings } from '@/components/PushSettings';
import { ThemeSettings } from '@/components/ThemeSettings';
import { NotificationSettings } from '@/components/NotificationSettings';
import { RowSkeleton } from '@/components/Skeleton';
import { Splash } from '@/components/Splash';
import { api, uploadFile } from '@/lib/api';
import type { ImageRef, PublicUserDto, UserDto } from '@/lib/contracts';
import { startEngine, stopEngine } from '@/lib/engine';
import { shortWhen } from '@/lib/format';
import { showError } from '@/lib/toasts';
import { fetchMe, goToSignIn, signOut } from '@/lib/session';

/** One signed-in device as the auth module lists it (fields beyond `id` are shown when present). */
interface SessionView {
  id: string;
  current?: boolean;
  userAgent?: string | null;
  ip?: string | null;
  createdAt?: string;
  lastUsedAt?: string | null;
}

function deviceName(ua: string | null | undefined): string {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Chrome\//.test(ua) ? 'Chrome' : /Firefox\//.test(ua) ? 'Firefox' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

export default function SettingsPage() {
  const [me, setMe] = useState<UserDto | null>(null);
  const [name, setName] = useState('');
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // The name's error stays beside its field; the outcome of any other action is a toast.
  const [nameError, setNameError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [blocked, setBlocked] = useState<PublicUserDto[] | null>(null);

  async function loadBlocked() {
    try {
      setBlocked(await api<PublicUserDto[]>('/users/me/blocks'));
    } catch (e) {
      showError(e);
    }
  }

  async function unblock(userId: string) {
    try {
      await api(`/users/${encodeURIComponent(userId)}/block`, { method: 'DELETE' });
      await loadBlocked();
    } catch (err) {
      showError(err);
    }
  }

  async function loadSessions() {
    try {
      const body = await api<SessionView[] | { items: SessionView[] }>('/auth/sessions');
      setSessions(Array.isArray(body) ? body : body.items);
    } catch (e) {
      showError(e);
    }
  }

  useEffect(() => {
    let stopped = false;
    void fetchMe().then((user) => {
      if (stopped) return;
      if (!user) return goToSignIn();
      setMe(user);
      setName(user.displayName);
      void loadSessions();
      void loadBlocked();
      // The live connection holds here too: others see this user online, and their messages are delivered.
      void startEngine(user, goToSignIn).catch(() => undefined);
    });
    return () => {
      stopped = true;
      stopEngine();
    };
  }, []);

  async function saveName(e: FormEvent) {
    e.preventDefault();
    setNameError(null);
    try {
      const user = await api<UserDto>('/users/me', { method: 'PATCH', body: { displayName: name.trim() } });
      setMe(user);
      setMessage('Saved');
    } catch (err: any) {
      setNameError(err.message);
    }
  }

  async function changeAvatar(file: File | undefined) {
    if (!file) return;
    try {
      const image = await uploadFile<ImageRef>(file, setProgress);
      // Local storage answers with a path; the profile's avatarUrl must be a full URL.
      const avatarUrl = new URL(image.thumbnailUrl, location.origin).href;
      const user = await api<UserDto>('/users/me', { method: 'PATCH', body: { avatarUrl } });
      setMe(user);
    } catch (err) {
      showError(err, 'Could not upload the photo.');
    } finally {
      setProgress(null);
    }
  }

  async function revoke(id: string, current: boolean | undefined) {
    try {
      await api(`/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (current) return goToSignIn();
      await loadSessions();
    } catch (err) {
      showError(err);
    }
  }

  if (!me) return <Splash />;

  return (
    <main className="mx-auto max-w-xl space-y-6 p-4 sm:p-8">
      <div className="flex items-center gap-3">
        <a href="/chats" className="rounded-full p-2 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Back to chats">
          <Icon name="back" />
        </a>
        <h1 className="text-xl font-semibold">Profile and settings</h1>
      </div>

      <section className="space-y-4 rounded-2xl p-4 ring-1 ring-slate-200 dark:ring-slate-800" aria-labelledby="profile-h" data-testid="profile">
        <h2 id="profile-h" className="font-semibold">Profile</h2>
        <div className="flex items-center gap-4">
          <Avatar name={me.displayName} url={me.avatarUrl} size={72} />
          <label className="cursor-pointer rounded-lg px-3 py-2 text-sm ring-1 ring-slate-300 hover:bg-slate-50 focus-within:ring-2 focus-within:ring-brand-500 dark:ring-slate-700 dark:hover:bg-slate-900">
            Change photo
            <input type="file" accept="image/jpeg,image/png,image/webp" className="sr-only" data-testid="avatar-input" onChange={(e) => void changeAvatar(e.target.files?.[0])} />
          </label>
          {progress !== null && <span className="text-sm text-slate-500">Uploading… {Math.round(progress * 100)}%</span>}
        </div>
        <form onSubmit={saveName} className="flex gap-2">
          <label className="flex-1">
            <span className="sr-only">Display name</span>
            <input
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setMessage(null);
              }}
              maxLength={64}
              className="w-full rounded-lg border border-slate-300 bg-transparent px-3 py-2 dark:border-slate-700"
              data-testid="display-name"
            />
          </label>
          <button disabled={!name.trim() || name.trim() === me.displayName} className="rounded-lg bg-brand-500 px-4 py-2 font-medium text-white disabled:opacity-50">
            Save
          </button>
        </form>
        <p className="text-sm text-slate-500">{me.email}</p>
        {message && <p role="status" className="text-sm text-emerald-600">{message}</p>}
        {nameError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{nameError}</p>}
      </section>

      <ThemeSettings />

      <PushSettings />

      <NotificationSettings />

      <section className="space-y-3 rounded-2xl p-4 ring-1 ring-slate-200 dark:ring-slate-800" aria-labelledby="sessions-h">
        <h2 id="sessions-h" className="font-semibold">Devices</h2>
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="sessions" aria-busy={!sessions}>
          {!sessions && <RowSkeleton label="Loading devices…" />}
          {sessions?.map((session) => (
            <li key={session.id} className="flex items-center gap-3 py-2">
              <div className="min-w-0 flex-1">
                <div className="font-medium">
                  {deviceName(session.userAgent)} {session.current && <span className="ml-1 rounded bg-emerald-100 px-1.5 text-xs text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200">this device</span>}
                </div>
                <div className="text-xs text-slate-500">
                  {session.ip ? `${session.ip} · ` : ''}
                  {session.lastUsedAt ? `active ${shortWhen(session.lastUsedAt)}` : session.createdAt ? `signed in ${shortWhen(session.createdAt)}` : ''}
                </div>
              </div>
              <button onClick={() => void revoke(session.id, session.current)} className="rounded-lg px-3 py-1.5 text-sm text-red-600 ring-1 ring-red-200 hover:bg-red-50 dark:ring-red-900 dark:hover:bg-red-950">
                {session.current ? 'Sign out' : 'Revoke'}
              </button>
            </li>
          ))}
        </ul>
      </section>

      <section className="space-y-3 rounded-2xl p-4 ring-1 ring-slate-200 dark:ring-slate-800" aria-labelledby="blocked-h" data-testid="blocked-users">
        <h2 id="blocked-h" className="font-semibold">Blocked people</h2>
        {blocked?.length === 0 && <p className="text-sm text-slate-500">You have not blocked anyone.</p>}
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-busy={!blocked}>
          {!blocked && <RowSkeleton label="Loading blocked people…" />}
          {blocked?.map((person) => (
            <li key={person.id} className="flex items-center gap-3 py-2" data-testid="blocked-user" data-user-id={person.id}>
              <Avatar name={person.displayName} url={person.avatarUrl} size={34} />
              <span className="min-w-0 flex-1 truncate font-medium">{person.displayName}</span>
              <button onClick={() => void unblock(person.id)} className="rounded-lg px-3 py-1.5 text-sm ring-1 ring-slate-300 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-900" data-testid="unblock">
                Unblock
              </button>
            </li>
          ))}
        </ul>
      </section>

      <button onClick={() => void signOut()} className="w-full rounded-lg py-2.5 font-medium text-red-600 ring-1 ring-red-200 hover:bg-red-50 dark:ring-red-900 dark:hover:bg-red-950" data-testid="logout">
        Sign out
      </button>
    </main>
  );
}
