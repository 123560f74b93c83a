/** @type {import('tailwindcss').Config} */
module.exports = {
  content: [__dirname + '/app/**/*.{ts,tsx}', __dirname + '/components/**/*.{ts,tsx}'],
  // The `dark` class on <html>, set from the theme chosen in Settings (default: the system's); see lib/theme.ts.
  darkMode: 'selector',
  theme: {
    extend: {
      colors: {
        brand: { 50: '#eef6ff', 100: '#d9eaff', 400: '#4f9bff', 500: '#2f7bf6', 600: '#1f62d9', 700: '#1b4fae' },
      },
      keyframes: { pulseDot: { '0%,80%,100%': { opacity: '0.2' }, '40%': { opacity: '1' } } },
      animation: { 'typing-dot': 'pulseDot 1.2s infinite ease-in-out' },
    },
  },
  plugins: [],
};
