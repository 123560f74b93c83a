import { initials } from '@/lib/format';

/** Each ≥ 4.5:1 with the white initials (WCAG AA for text of any size); test/web-accessibility.e2e-spec.ts checks it. */
const palette = ['bg-rose-600', 'bg-amber-700', 'bg-emerald-700', 'bg-sky-700', 'bg-violet-600', 'bg-pink-700', 'bg-teal-700', 'bg-indigo-600'];

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
        // The initials are drawn by CSS, not text: a picture named by `name`, whose letters never count as visible
        // text of a link or button around it (a control named "Profile and settings" does not show the words "AL").
        <span
          role="img"
          aria-label={name}
          data-testid="avatar-initials"
          data-initials={initials(name)}
          className={`flex h-full w-full items-center justify-center rounded-full font-semibold text-white before:content-[attr(data-initials)] ${colorFor(name)}`}
          style={{ fontSize: size * 0.38 }}
        />
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
