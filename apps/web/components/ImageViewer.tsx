'use client';
import { useRef } from 'react';
import type { ImageRef } from '@/lib/contracts';
import { Icon } from './Icon';
import { useFocusTrap } from './use-focus-trap';

/** Full-size image over everything; Escape or a click outside closes it, and focus goes back to the image opened. */
export function ImageViewer({ image, alt, onClose }: { image: ImageRef; alt: string; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  const box = useFocusTrap<HTMLDivElement>({ trap: true, onEscape: onClose, initialFocus: close });
  return (
    <div ref={box} role="dialog" aria-modal="true" aria-label="Image" className="fixed inset-0 z-50 flex items-center justify-center bg-black/85 p-4" onClick={onClose} data-testid="image-dialog">
      <button ref={close} onClick={onClose} className="absolute right-4 top-4 rounded-full bg-white/10 px-3 py-1 text-white hover:bg-white/20" aria-label="Close image">
        <Icon name="close" />
      </button>
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img
        src={image.url}
        alt={alt}
        width={image.width}
        height={image.height}
        className="max-h-full max-w-full object-contain"
        style={{ aspectRatio: `${image.width} / ${image.height}` }}
        onClick={(e) => e.stopPropagation()}
        data-testid="image-viewer"
      />
    </div>
  );
}
