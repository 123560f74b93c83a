'use client';
import { useEffect, useRef, useState } from 'react';
import type { ImageRef, MessageDto, ReplyPreview } from '@/lib/contracts';
import { timeOfDay } from '@/lib/format';
import { plainText, useStore } from '@/lib/store';
import { FileCard, VoicePlayer } from './Attachment';
import { Icon } from './Icon';
import { MessageActionHandlers, MessageActions, MessageActionsRoom } from './MessageActions';
import { MessageText } from './MessageText';
import { Ticks, TickStatus } from './MessageStatus';
import { ReactionChips, ReactionPicker } from './Reactions';
import { useItemTabIndex } from './roving';

export type { TickStatus } from './MessageStatus';

/** A box of the image's own aspect ratio, so nothing moves when it loads. */
export function ImageBox({ image, alt, onOpen, maxWidth = 280 }: { image: Pick<ImageRef, 'width' | 'height' | 'thumbnailUrl'> & { url?: string }; alt: string; onOpen?: () => void; maxWidth?: number }) {
  const width = Math.min(maxWidth, image.width || maxWidth);
  const tabIndex = useItemTabIndex();
  return (
    <button
      type="button"
      onClick={onOpen}
      tabIndex={tabIndex}
      className="block overflow-hidden rounded-xl bg-slate-200 dark:bg-slate-700"
      style={{ width, aspectRatio: `${image.width || 4} / ${image.height || 3}` }}
      aria-label={`Open ${alt[0]!.toLowerCase()}${alt.slice(1)}`}
      data-testid="message-image"
    >
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src={image.thumbnailUrl} alt={alt} loading="lazy" width={image.width} height={image.height} className="h-full w-full object-cover" />
    </button>
  );
}

export function Quote({ reply, author, onJump, mine }: { reply: ReplyPreview; author: string; onJump?: () => void; mine: boolean }) {
  const tabIndex = useItemTabIndex();
  const text = useStore((s) => (reply.text ? plainText(s, reply.text) : null));
  // A reply to a message sent before I joined: it says so, and there is nothing to jump to.
  if (reply.unavailable) {
    return (
      <span data-testid="reply-quote" data-unavailable="true" className={`mb-1 block rounded-lg border-l-4 px-2 py-1 text-xs italic opacity-80 ${mine ? 'border-white/70 bg-white/15' : 'border-slate-400 bg-slate-200/70 dark:bg-slate-700/70'}`}>
        A message from before you joined
      </span>
    );
  }
  return (
    <button
      type="button"
      onClick={onJump}
      tabIndex={tabIndex}
      data-testid="reply-quote"
      className={`mb-1 block w-full rounded-lg border-l-4 px-2 py-1 text-left text-xs ${
        mine ? 'border-white/70 bg-white/15' : 'border-brand-500 bg-slate-200/70 dark:bg-slate-700/70'
      }`}
    >
      <span className="block font-semibold">{author}</span>
      <span className="line-clamp-2 opacity-90">{reply.deleted ? 'Deleted message' : text ?? (reply.hasImage ? 'Photo' : reply.file?.kind === 'voice' ? 'Voice message' : reply.file?.name ?? '')}</span>
    </button>
  );
}

/** The message's actions (MessageActionHandlers), whether it is live aside: the bubble knows that itself. */
export interface BubbleProps extends Omit<MessageActionHandlers, 'live' | 'onReact'> {
  message: Pick<MessageDto, 'text' | 'image' | 'replyTo' | 'createdAt' | 'editedAt' | 'deletedAt' | 'reactions'> & { file?: MessageDto['file']; id?: string; seq?: number; forwarded?: boolean };
  mine: boolean;
  /** Who sent it, as read out and in the image's text ("You" for mine). */
  senderName: string;
  /** The name shown on top (the first of a group, in groups); null for none. */
  author: string | null;
  /** Place in its group: the first is spaced from what is above, the last carries the time and the tail. */
  first?: boolean;
  last?: boolean;
  replyAuthor: string;
  status?: TickStatus;
  onOpenImage?: (image: ImageRef, alt: string) => void;
  onJumpToQuote?: (messageId: string) => void;
  /** Add (on) or take back my reaction; absent for what cannot take one (a message not sent yet). */
  onReact?: (emoji: string, on: boolean) => void;
  meId?: string;
  nameOf?: (userId: string) => string;
  footer?: React.ReactNode;
}

/** One colour for a bubble and its tail (the tail is an SVG: it takes the fill). */
const COLOURS = {
  mine: { bubble: 'bg-brand-500 text-white', tail: 'fill-brand-500', meta: 'text-white/80' },
  theirs: { bubble: 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100', tail: 'fill-slate-100 dark:fill-slate-800', meta: 'text-slate-500' },
};

/** Corners: the sender's side is tighter between messages of one group, and the last has the tail instead. */
function corners(mine: boolean, first: boolean, last: boolean): string {
  if (mine) return `rounded-2xl ${first ? '' : 'rounded-tr-md'} ${last ? 'rounded-br-none' : 'rounded-br-md'}`;
  return `rounded-2xl ${first ? '' : 'rounded-tl-md'} ${last ? 'rounded-bl-none' : 'rounded-bl-md'}`;
}

function Tail({ mine }: { mine: boolean }) {
  return (
    <svg
      aria-hidden
      data-testid="bubble-tail"
      width={8}
      height={13}
      viewBox="0 0 8 13"
      className={`absolute bottom-0 ${mine ? '-right-[7px]' : '-left-[7px] -scale-x-100'} ${COLOURS[mine ? 'mine' : 'theirs'].tail}`}
    >
      <path d="M0 0C0 7 3 11 8 13H0z" />
    </svg>
  );
}

/**
 * One message. Its time (and my ticks) show in the bubble on the last of a group only; the others show them
 * beside the bubble on hover or focus, with the actions. The row around it (the list item) takes the focus.
 */
export function Bubble({
  message, mine, senderName, author, first = true, last = true, replyAuthor, status, onReply, onEdit, onDelete, onDeleteForMe, onForward, onCopy, onTogglePin, pinned, onOpenImage, onJumpToQuote, onReact, meId, nameOf, footer,
}: BubbleProps) {
  const deleted = !!message.deletedAt;
  const live = !deleted;
  const [picking, setPicking] = useState(false);
  // The action buttons are made only once the pointer comes over the message, or when it is the list's focused
  // message (or stands outside a list): eight buttons in every row drawn made a new message, and each row scrolled
  // into view, cost a third more. Hidden until hover or focus anyway; a tap focuses the message, so phones get them.
  const [pointedAt, setPointedAt] = useState(false);
  const reactButton = useRef<HTMLButtonElement>(null);
  const picker = useRef<HTMLDivElement>(null);
  const tabIndex = useItemTabIndex();
  const drawActions = pointedAt || tabIndex === undefined || picking;
  const actionHandlers = { live, pinned, onReact, onReply, onForward, onCopy, onTogglePin, onEdit, onDelete, onDeleteForMe };
  const reactions = deleted ? [] : (message.reactions ?? []);
  const hasActions = (live && (onReply || onEdit || onDelete || onForward || onCopy || onTogglePin || onReact)) || onDeleteForMe;
  const colours = COLOURS[mine ? 'mine' : 'theirs'];
  const edited = !!message.editedAt && !deleted;
  // What must show at once even mid-group: a pin, an edit, a message not (yet) sent.
  const metaInside = last || !!pinned || edited || status === 'pending' || status === 'failed';
  const shownAuthor = author && !mine ? author : null;
  const imageAlt = mine ? 'Your photo' : `Photo from ${senderName}`;
  const time = <time dateTime={message.createdAt}>{timeOfDay(message.createdAt)}</time>;

  // The picker takes the focus when it opens (from the keyboard it would be out of reach otherwise).
  useEffect(() => {
    if (picking) picker.current?.querySelector('button')?.focus();
  }, [picking]);
  const closePicker = () => {
    const hadFocus = !!picker.current?.contains(document.activeElement);
    setPicking(false);
    if (hadFocus) reactButton.current?.focus();
  };

  return (
    <div className={`flex flex-col ${mine ? 'items-end' : 'items-start'} px-3 ${first ? 'pt-1.5' : 'pt-0.5'}`} onPointerEnter={pointedAt ? undefined : () => setPointedAt(true)}>
      <div className={`relative flex min-w-0 max-w-[85%] items-end gap-1 sm:max-w-[70%] ${mine ? 'flex-row-reverse' : ''}`}>
        <div
          data-testid="bubble"
          data-mine={mine}
          data-first={first}
          data-last={last}
          className={`relative min-w-0 px-3 py-1.5 shadow-sm ${colours.bubble} ${corners(mine, first, last)} ${mine ? 'mr-[7px]' : 'ml-[7px]'}`}
        >
          {/* Who said it, for a screen reader, where no name shows (mine, 1:1 chats, the rest of a group). */}
          {!shownAuthor && <span className="sr-only">{senderName}: </span>}
          {shownAuthor && <div className="mb-0.5 text-xs font-semibold text-brand-600 dark:text-brand-400" data-testid="author">{shownAuthor}</div>}
          {message.forwarded && !deleted && (
            <div className={`mb-0.5 flex items-center gap-1 text-xs italic ${colours.meta}`} data-testid="forwarded">
              <Icon name="forward" size={12} /> Forwarded
            </div>
          )}
          {deleted ? (
            <p className="italic opacity-70" data-testid="tombstone">
              This message was deleted
            </p>
          ) : (
            <>
              {message.replyTo && <Quote reply={message.replyTo} author={replyAuthor} mine={mine} onJump={() => onJumpToQuote?.(message.replyTo!.id)} />}
              {message.image && (
                <div className="mb-1">
                  <ImageBox image={message.image} alt={imageAlt} onOpen={() => onOpenImage?.(message.image!, imageAlt)} />
                </div>
              )}
              {message.file && (message.file.kind === 'voice' ? <VoicePlayer file={message.file} mine={mine} /> : <FileCard file={message.file} mine={mine} />)}
              {message.text && <MessageText text={message.text} mine={mine} />}
            </>
          )}
          {metaInside && (
            <div className={`mt-0.5 flex items-center justify-end gap-1 text-[11px] ${colours.meta}`}>
              {pinned && <span data-testid="pinned-mark" role="img" aria-label="Pinned" title="Pinned"><Icon name="pin" size={12} /></span>}
              {edited && <span data-testid="edited">edited</span>}
              {last && <span data-testid="message-time">{time}</span>}
              {mine && status && <Ticks status={status} />}
            </div>
          )}
          {footer}
          {last && <Tail mine={mine} />}
        </div>
        {(hasActions || !metaInside) && (
          // On a phone the actions float over the bubble's top edge instead of standing beside it: there, eight
          // hidden buttons beside the bubble squeezed it to half the row. Hidden, they let clicks through.
          <div
            className={`flex shrink-0 items-center gap-0.5 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100 max-sm:pointer-events-none max-sm:absolute max-sm:bottom-full max-sm:z-10 max-sm:rounded-full max-sm:bg-white max-sm:px-1 max-sm:shadow max-sm:group-focus-within:pointer-events-auto max-sm:group-hover:pointer-events-auto max-sm:dark:bg-slate-900 ${mine ? 'max-sm:right-2' : 'max-sm:left-2'}`}
          >
            {!metaInside && (
              <span className="flex items-center px-1 text-[11px] text-slate-500" data-testid="hover-time">
                {time}
                {mine && status && <Ticks status={status} />}
              </span>
            )}
            {drawActions ? (
              <MessageActions {...actionHandlers} picking={picking} reactButton={reactButton} onTogglePicker={() => (picking ? closePicker() : setPicking(true))} />
            ) : (
              <MessageActionsRoom {...actionHandlers} />
            )}
          </div>
        )}
      </div>
      <div className={`max-w-[85%] sm:max-w-[70%] ${mine ? 'mr-[7px]' : 'ml-[7px]'}`}>
        <ReactionChips reactions={reactions} meId={meId} nameOf={nameOf ?? (() => 'Someone')} onToggle={onReact} mine={mine} />
        {picking && onReact && !deleted && (
          <div ref={picker}>
            <ReactionPicker
              onPick={(emoji) => {
                closePicker();
                const already = !!meId && reactions.some((r) => r.emoji === emoji && r.userIds.includes(meId));
                onReact(emoji, !already);
              }}
              onClose={closePicker}
            />
          </div>
        )}
      </div>
    </div>
  );
}
