import { initials } from '@/lib/format';

const palette = ['bg-rose-500', 'bg-amber-500', 'bg-emerald-500', 'bg-sky-500', 'bg-violet-500', 'bg-pink-500', 'bg-teal-500', 'bg-indigo-500'];

function colorFor(seed: string): string {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return palette[Math.abs(h) % palette.length]!;
}

/** The person's or group's picture (or initials), named by `name` for screen readers. */
export function Avatar({ name, url, online, size = 44 }: { name: string; url?: string | null; online?: boolean; size?: number }) {
  return (
    <span className="relative inline-block shrink-0" style={{ width: size, height: size }}>
      {url ? (
        // eslint-disable-next-line @next/next/no-img-element
        <img src={url} alt={name} width={size} height={size} className="h-full w-full rounded-full object-cover" />
      ) : (
        <span
          role="img"
          aria-label={name}
          className={`flex h-full w-full items-center justify-center rounded-full font-semibold text-white ${colorFor(name)}`}
          style={{ fontSize: size * 0.38 }}
        >
          {initials(name)}
        </span>
      )}
      {online && (
        <span
          data-testid="online-dot"
          title="Online"
          className="absolute bottom-0 right-0 block h-3 w-3 rounded-full bg-emerald-500 ring-2 ring-white dark:ring-slate-950"
        />
      )}
    </span>
  );
}
