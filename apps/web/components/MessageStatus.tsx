'use client';
import { useId } from 'react';

export type TickStatus = 'pending' | 'failed' | 'sent' | 'delivered' | 'read';

const LABELS: Record<TickStatus, string> = { pending: 'Sending', failed: 'Not sent', sent: 'Sent', delivered: 'Delivered', read: 'Read' };

export const statusLabel = (status: TickStatus) => LABELS[status];

const CHECK = 'M3 13l5 5L19 7';
const SECOND_CHECK = 'M13 17l1 1L25 7';

/**
 * A message's delivery state as an image with its name, told apart by shape, never by colour alone: a clock
 * (sending), one check (sent), two checks (delivered), two checks cut out of a filled badge (read), an
 * exclamation mark in a circle (not sent). The badge reads as "read" on any bubble colour.
 */
export function Ticks({ status }: { status: TickStatus }) {
  const maskId = useId();
  const label = LABELS[status];
  const common = {
    role: 'img',
    'aria-label': label,
    'data-testid': 'ticks',
    'data-status': status,
    height: 16,
    fill: 'none',
    stroke: 'currentColor',
    strokeLinecap: 'round' as const,
    strokeLinejoin: 'round' as const,
    className: 'ml-0.5 inline-block shrink-0',
  };
  if (status === 'read') {
    return (
      <svg {...common} width={24} viewBox="0 0 30 24" stroke="none">
        <title>{label}</title>
        <mask id={maskId}>
          <rect width="30" height="24" fill="white" />
          <g stroke="black" strokeWidth={2.4} fill="none">
            <path d="M5 12.5l4 4L18 7.5" />
            <path d="M13.5 15.5l1 1L24 7.5" />
          </g>
        </mask>
        <rect x="0.5" y="1" width="29" height="22" rx="11" fill="currentColor" mask={`url(#${maskId})`} />
      </svg>
    );
  }
  if (status === 'sent' || status === 'delivered') {
    const double = status === 'delivered';
    return (
      <svg {...common} width={double ? 21 : 16} viewBox={`0 0 ${double ? 29 : 24} 24`} strokeWidth={2.2}>
        <title>{label}</title>
        <path d={CHECK} />
        {double && <path d={SECOND_CHECK} />}
      </svg>
    );
  }
  return (
    <svg {...common} width={16} viewBox="0 0 24 24" strokeWidth={2}>
      <title>{label}</title>
      <path d={status === 'failed' ? 'M12 7.5v6M12 16.8v.2M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z' : 'M12 7v5l3 2M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z'} />
    </svg>
  );
}
