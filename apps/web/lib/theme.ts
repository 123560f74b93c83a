export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: ThemeChoice[] = ['system', 'light', 'dark'];
const THEME_KEY = 'relay.theme';

/**
 * Runs in <head> before the first paint (inline, so its hash is in the page's CSP): the saved theme, or the
 * system's, as the `dark` class on <html>, so a dark page never flashes white. Kept in step with applyTheme.
 */
export const THEME_BOOTSTRAP = `(function(){try{var t=localStorage.getItem('${THEME_KEY}');var d=t==='dark'||(t!=='light'&&matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.classList.toggle('dark',d);document.documentElement.style.colorScheme=d?'dark':'light'}catch(e){}})()`;

export function readTheme(): ThemeChoice {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(THEME_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

export function applyTheme(choice: ThemeChoice = readTheme()): void {
  const dark = choice === 'dark' || (choice === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
}

export function saveTheme(choice: ThemeChoice): void {
  if (choice === 'system') localStorage.removeItem(THEME_KEY);
  else localStorage.setItem(THEME_KEY, choice);
  applyTheme(choice);
}

/** While the choice is "system", follow the system's changes; also other tabs' choices. Returns the unsubscribe. */
export function followTheme(): () => void {
  const media = matchMedia('(prefers-color-scheme: dark)');
  const onSystem = () => applyTheme();
  const onStorage = (e: StorageEvent) => e.key === THEME_KEY && applyTheme();
  media.addEventListener('change', onSystem);
  window.addEventListener('storage', onStorage);
  return () => {
    media.removeEventListener('change', onSystem);
    window.removeEventListener('storage', onStorage);
  };
}
