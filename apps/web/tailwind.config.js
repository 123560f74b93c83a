/** @type {import('tailwindcss').Config} */
module.exports = {
  content: [__dirname + '/app/**/*.{ts,tsx}', __dirname + '/components/**/*.{ts,tsx}'],
  // The `dark` class on <html>, set from the theme chosen in Settings (default: the system's); see lib/theme.ts.
  darkMode: 'selector',
  theme: {
    extend: {
      colors: {
        // 500 carries white text (buttons, own bubbles) and white/80 (own bubbles' times): ≥ 4.5:1 for both (WCAG AA).
        brand: { 50: '#eef6ff', 100: '#d9eaff', 400: '#4f9bff', 500: '#1a58c4', 600: '#17499f', 700: '#143d85' },
        // Secondary text and error text, readable (≥ 4.5:1) on either theme's surfaces: the value follows the theme
        // (CSS variables in app/globals.css). Both are used for text only; use another shade for a background.
        slate: { 500: 'rgb(var(--muted-text) / <alpha-value>)' },
        red: { 600: 'rgb(var(--danger-text) / <alpha-value>)' },
      },
      keyframes: { pulseDot: { '0%,80%,100%': { opacity: '0.2' }, '40%': { opacity: '1' } } },
      animation: { 'typing-dot': 'pulseDot 1.2s infinite ease-in-out' },
    },
  },
  plugins: [],
};
