import type { Metadata, Viewport } from 'next';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { ThemeFollower } from '@/components/ThemeFollower';
import { Toaster } from '@/components/Toaster';
import { THEME_BOOTSTRAP } from '@/lib/theme';
import './globals.css';

// The manifest makes the app installable (a PWA); its service worker (public/sw.js) shows Web Push notifications.
export const metadata: Metadata = { title: 'Relay Chat', description: 'Real-time chat', manifest: '/manifest.webmanifest', icons: { icon: '/icons/icon-192.png', apple: '/icons/icon-192.png' } };
export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#020617' },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // The bootstrap script sets the theme class before the first paint, so React's markup differs from the server's there.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOTSTRAP }} />
      </head>
      <body>
        <ThemeFollower />
        {children}
        {/* One of each for every page: asked with useConfirm() and showToast(). */}
        <ConfirmDialog />
        <Toaster />
      </body>
    </html>
  );
}
