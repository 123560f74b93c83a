'use client';
import { useMemo } from 'react';
import { MentionPiece, splitMentions } from '@/lib/contracts';
import { splitLinks, TextPiece } from '@/lib/linkify';
import { useStore } from '@/lib/store';
import { useItemTabIndex } from './roving';

/**
 * A message's text as React text nodes, with http(s) and mailto URLs as links that open in a new tab and tell the
 * target nothing (no opener, no referrer) and search engines not to follow them, and mentions (`@[userId]`) as the
 * person's current name, highlighted (more strongly when it is me). Nothing else becomes markup.
 */
export function MessageText({ text, mine }: { text: string; mine: boolean }) {
  const pieces = useMemo(
    () => splitMentions(text).flatMap((piece): (TextPiece | MentionPiece)[] => (piece.kind === 'mention' ? [piece] : splitLinks(piece.text))),
    [text],
  );
  const tabIndex = useItemTabIndex();
  return (
    <p className="whitespace-pre-wrap [overflow-wrap:anywhere]" data-testid="bubble-text">
      {pieces.map((piece, i) =>
        piece.kind === 'mention' ? (
          <Mention key={i} userId={piece.userId} inMine={mine} />
        ) : piece.kind === 'link' ? (
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

/** `@Name` as the person is called now (a rename shows at once); me in a stronger style. */
function Mention({ userId, inMine }: { userId: string; inMine: boolean }) {
  const me = useStore((s) => s.me);
  const name = useStore((s) => (userId === s.me?.id ? s.me.displayName : s.users[userId]?.displayName)) ?? 'someone';
  const isMe = userId === me?.id;
  const style = isMe
    ? 'bg-amber-200 font-bold text-amber-950 dark:bg-amber-400'
    : inMine
      ? 'bg-white/20 font-semibold text-white'
      : 'bg-brand-100 font-semibold text-brand-700 dark:bg-slate-700 dark:text-brand-400';
  return (
    <span className={`rounded px-0.5 ${style}`} data-testid="mention" data-user-id={userId} data-me={isMe ? 'true' : undefined}>
      @{name}
    </span>
  );
}
