'use client';
import { useEffect } from 'react';
import { followTheme } from '@/lib/theme';

/** Keeps every page's theme in step with the system (when chosen) and with other tabs. Renders nothing. */
export function ThemeFollower() {
  useEffect(() => followTheme(), []);
  return null;
}
