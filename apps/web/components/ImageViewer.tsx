'use client';
import { useEffect, useRef } from 'react';
import type { ImageRef } from '@/lib/contracts';
import { Icon } from './Icon';

/** Full-size image over everything; Escape or a click outside closes it. */
export function ImageViewer({ image, alt, onClose }: { image: ImageRef; alt: string; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div role="dialog" aria-modal="true" aria-label="Image" className="fixed inset-0 z-50 flex items-center justify-center bg-black/85 p-4" onClick={onClose}>
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
