'use client';
import { useMemo } from 'react';
import { splitLinks } from '@/lib/linkify';
import { useItemTabIndex } from './roving';

/**
 * A message's text as React text nodes, with http(s) and mailto URLs as links that open in a new tab and tell the
 * target nothing (no opener, no referrer) and search engines not to follow them. Nothing else becomes markup.
 */
export function MessageText({ text, mine }: { text: string; mine: boolean }) {
  const pieces = useMemo(() => splitLinks(text), [text]);
  const tabIndex = useItemTabIndex();
  return (
    <p className="whitespace-pre-wrap [overflow-wrap:anywhere]" data-testid="bubble-text">
      {pieces.map((piece, i) =>
        piece.kind === 'link' ? (
          <a
            key={i}
            href={piece.href}
            tabIndex={tabIndex}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className={`underline underline-offset-2 ${mine ? 'text-white' : 'text-brand-600 dark:text-brand-400'}`}
            data-testid="message-link"
          >
            {piece.text}
          </a>
        ) : (
          piece.text
        ),
      )}
    </p>
  );
}
