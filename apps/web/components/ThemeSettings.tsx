'use client';
import { useEffect, useState } from 'react';
import { readTheme, saveTheme, THEME_CHOICES, ThemeChoice } from '@/lib/theme';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Theme: follow the system (the default), or always light or dark; kept per browser. */
export function ThemeSettings() {
  const [choice, setChoice] = useState<ThemeChoice>('system');
  useEffect(() => setChoice(readTheme()), []);

  return (
    <section className="space-y-3 rounded-2xl p-4 ring-1 ring-slate-200 dark:ring-slate-800" aria-labelledby="theme-h" data-testid="theme-settings">
      <h2 id="theme-h" className="font-semibold">Theme</h2>
      <div role="radiogroup" aria-labelledby="theme-h" className="flex gap-2">
        {THEME_CHOICES.map((option) => (
          <label
            key={option}
            className={`flex-1 cursor-pointer rounded-lg px-3 py-2 text-center text-sm ring-1 focus-within:ring-2 focus-within:ring-brand-500 ${
              choice === option ? 'bg-brand-50 font-medium text-brand-700 ring-brand-500 dark:bg-slate-800 dark:text-white' : 'ring-slate-300 dark:ring-slate-700'
            }`}
          >
            <input
              type="radio"
              name="theme"
              value={option}
              checked={choice === option}
              onChange={() => {
                setChoice(option);
                saveTheme(option);
              }}
              className="sr-only"
            />
            {LABELS[option]}
          </label>
        ))}
      </div>
    </section>
  );
}
