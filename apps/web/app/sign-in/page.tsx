'use client';
import { FormEvent, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '@/lib/api';
import type { UserDto } from '@/lib/contracts';
import { fetchMe } from '@/lib/session';

const RESEND_SECONDS = 60;

function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Check your connection and try again.';
  switch (error.code) {
    case 'AUTH.INVALID_CODE':
      return 'That code is not right. Check the latest email and try again.';
    case 'AUTH.CODE_EXPIRED':
      return 'That code has expired. Ask for a new one.';
    case 'AUTH.TOO_MANY_ATTEMPTS':
      return 'Too many wrong tries: this code no longer works. Ask for a new one.';
    case 'AUTH.RESEND_COOLDOWN':
    case 'COMMON.RATE_LIMITED':
      return 'Too many requests. Wait a moment before trying again.';
    case 'VALIDATION.FAILED':
      return error.message || 'Please check what you typed.';
    default:
      return error.status === 0 ? 'No connection to the server.' : error.message;
  }
}

export default function SignInPage() {
  const [step, setStep] = useState<'email' | 'code' | 'name'>('email');
  const [name, setName] = useState('');
  const nameInput = useRef<HTMLInputElement>(null);
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [resendIn, setResendIn] = useState(0);
  const [mailboxHint, setMailboxHint] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void fetchMe().then((me) => me && location.replace('/chats'));
    // The local mailbox page answers only on the embedded default (captured mail, loopback clients).
    void fetch('/dev/mailbox', { method: 'GET', credentials: 'omit' })
      .then((r) => setMailboxHint(r.ok))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (resendIn <= 0) return;
    const t = setTimeout(() => setResendIn((s) => s - 1), 1000);
    return () => clearTimeout(t);
  }, [resendIn]);

  useEffect(() => {
    if (step === 'code') codeInput.current?.focus();
    if (step === 'name') nameInput.current?.select();
  }, [step]);

  async function requestCode(e?: FormEvent) {
    e?.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const sent = await api<{ resendAfterSeconds?: number }>('/auth/otp', { method: 'POST', body: { email: email.trim() }, noRefresh: true });
      setStep('code');
      setCode('');
      setResendIn(sent?.resendAfterSeconds ?? RESEND_SECONDS);
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  }

  async function verify(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const signedIn = await api<{ created: boolean; user: UserDto }>('/auth/verify', { method: 'POST', body: { email: email.trim(), code: code.trim() }, noRefresh: true });
      // A new account is named after its email until its owner says otherwise: ask once, skippable.
      if (!signedIn.created) return location.replace('/chats');
      setName(signedIn.user.displayName);
      setStep('name');
      setBusy(false);
    } catch (err) {
      setError(explain(err));
      setBusy(false);
    }
  }

  async function saveName(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await api('/users/me', { method: 'PATCH', body: { displayName: name.trim() } });
      location.replace('/chats');
    } catch (err) {
      setError(explain(err));
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-full items-center justify-center bg-gradient-to-br from-brand-50 to-white p-4 dark:from-slate-900 dark:to-slate-950">
      <div className="w-full max-w-sm rounded-2xl bg-white p-8 shadow-xl ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
        <div className="mb-6 flex items-center gap-3">
          <div className="flex h-11 w-11 items-center justify-center rounded-xl bg-brand-500 text-xl font-bold text-white" aria-hidden>
            R
          </div>
          <div>
            <h1 className="text-xl font-semibold">Relay Chat</h1>
            <p className="text-sm text-slate-500">{step === 'email' ? 'Sign in with your email' : `Enter the code sent to ${email}`}</p>
          </div>
        </div>

        {step === 'email' ? (
          <form onSubmit={requestCode} className="space-y-4" noValidate>
            <label className="block">
              <span className="mb-1 block text-sm font-medium">Email</span>
              <input
                name="email"
                type="email"
                autoComplete="email"
                required
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                className="w-full rounded-lg border border-slate-300 bg-transparent px-3 py-2.5 dark:border-slate-700"
                placeholder="you@example.com"
              />
            </label>
            <button
              type="submit"
              disabled={busy || !/^\S+@\S+\.\S+$/.test(email.trim())}
              className="w-full rounded-lg bg-brand-500 py-2.5 font-medium text-white hover:bg-brand-600 disabled:opacity-50"
            >
              {busy ? 'Sending…' : 'Send me a code'}
            </button>
          </form>
        ) : step === 'name' ? (
          <form onSubmit={saveName} className="space-y-4" data-testid="name-step">
            <label className="block">
              <span className="mb-1 block text-sm font-medium">Your name</span>
              <input
                ref={nameInput}
                name="displayName"
                autoComplete="name"
                maxLength={64}
                value={name}
                onChange={(e) => setName(e.target.value)}
                className="w-full rounded-lg border border-slate-300 bg-transparent px-3 py-2.5 dark:border-slate-700"
                aria-describedby="name-help"
              />
            </label>
            <p id="name-help" className="text-sm text-slate-600 dark:text-slate-400">
              This is how people see you in chats. You can change it later in Settings.
            </p>
            <button type="submit" disabled={busy || !name.trim()} className="w-full rounded-lg bg-brand-500 py-2.5 font-medium text-white hover:bg-brand-600 disabled:opacity-50">
              {busy ? 'Saving…' : 'Continue'}
            </button>
            <button type="button" className="w-full py-1 text-sm text-brand-600 hover:underline dark:text-brand-400" onClick={() => location.replace('/chats')}>
              Skip
            </button>
          </form>
        ) : (
          <form onSubmit={verify} className="space-y-4" noValidate>
            <label className="block">
              <span className="mb-1 block text-sm font-medium">6-digit code</span>
              <input
                ref={codeInput}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]*"
                maxLength={6}
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
                className="w-full rounded-lg border border-slate-300 bg-transparent px-3 py-2.5 text-center font-mono text-2xl tracking-[0.5em] dark:border-slate-700"
                aria-describedby="code-help"
              />
            </label>
            <button
              type="submit"
              disabled={busy || code.length !== 6}
              className="w-full rounded-lg bg-brand-500 py-2.5 font-medium text-white hover:bg-brand-600 disabled:opacity-50"
            >
              {busy ? 'Checking…' : 'Sign in'}
            </button>
            <div id="code-help" className="flex items-center justify-between text-sm">
              <button type="button" className="text-brand-600 hover:underline dark:text-brand-400" onClick={() => { setStep('email'); setError(null); }}>
                Change email
              </button>
              <button
                type="button"
                className="text-brand-600 hover:underline disabled:text-slate-400 disabled:no-underline dark:text-brand-400"
                disabled={resendIn > 0 || busy}
                onClick={() => void requestCode()}
              >
                {resendIn > 0 ? `Resend in ${resendIn}s` : 'Resend code'}
              </button>
            </div>
          </form>
        )}

        {error && (
          <p role="alert" data-testid="sign-in-error" className="mt-4 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {error}
          </p>
        )}

        {mailboxHint && (
          <p className="mt-6 rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="mailbox-hint">
            Running locally with captured mail: the code is printed in the server log and shown on the{' '}
            <a href="/dev/mailbox" target="_blank" rel="noreferrer" className="font-medium underline">
              local mailbox page
            </a>{' '}
            (open from this machine).
          </p>
        )}
      </div>
    </main>
  );
}
