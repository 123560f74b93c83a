'use client';
import { useState } from 'react';
import type { ImageRef, MessageDto, ReplyPreview } from '@/lib/contracts';
import { timeOfDay } from '@/lib/format';
import { plainText, useStore } from '@/lib/store';
import { FileCard, VoicePlayer } from './Attachment';
import { Checks, Icon } from './Icon';
import { MessageText } from './MessageText';
import { ReactionChips, ReactionPicker } from './Reactions';

export type TickStatus = 'pending' | 'failed' | 'sent' | 'delivered' | 'read';

export function Ticks({ status }: { status: TickStatus }) {
  const label = { pending: 'Sending', failed: 'Not sent', sent: 'Sent', delivered: 'Delivered', read: 'Read' }[status];
  return (
    <span
      data-testid="ticks"
      data-status={status}
      role="img"
      aria-label={label}
      title={label}
      className={`ml-0.5 inline-flex ${status === 'read' ? 'text-cyan-200' : status === 'failed' ? 'text-red-200' : 'opacity-80'}`}
    >
      {status === 'pending' ? <Icon name="clock" size={14} /> : status === 'failed' ? <Icon name="alert" size={14} /> : <Checks double={status !== 'sent'} />}
    </span>
  );
}

/** A box of the image's own aspect ratio, so nothing moves when it loads. */
export function ImageBox({ image, onOpen, maxWidth = 280 }: { image: Pick<ImageRef, 'width' | 'height' | 'thumbnailUrl'> & { url?: string }; onOpen?: () => void; maxWidth?: number }) {
  const width = Math.min(maxWidth, image.width || maxWidth);
  return (
    <button
      type="button"
      onClick={onOpen}
      className="block overflow-hidden rounded-xl bg-slate-200 dark:bg-slate-700"
      style={{ width, aspectRatio: `${image.width || 4} / ${image.height || 3}` }}
      aria-label="Open image"
      data-testid="message-image"
    >
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src={image.thumbnailUrl} alt="" loading="lazy" width={image.width} height={image.height} className="h-full w-full object-cover" />
    </button>
  );
}

export function Quote({ reply, author, onJump, mine }: { reply: ReplyPreview; author: string; onJump?: () => void; mine: boolean }) {
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

export interface BubbleProps {
  message: Pick<MessageDto, 'text' | 'image' | 'replyTo' | 'createdAt' | 'editedAt' | 'deletedAt' | 'reactions'> & { file?: MessageDto['file']; id?: string; seq?: number; forwarded?: boolean };
  mine: boolean;
  author: string | null;
  replyAuthor: string;
  status?: TickStatus;
  onReply?: () => void;
  onEdit?: () => void;
  onDelete?: () => void;
  /** Delete for me: offered on every message shown, tombstones included. */
  onDeleteForMe?: () => void;
  onForward?: () => void;
  onCopy?: () => void;
  /** Pin or unpin (`pinned` says which); absent when the user may not. */
  onTogglePin?: () => void;
  pinned?: boolean;
  onOpenImage?: (image: ImageRef) => void;
  onJumpToQuote?: (messageId: string) => void;
  /** Add (on) or take back my reaction; absent for what cannot take one (a message not sent yet). */
  onReact?: (emoji: string, on: boolean) => void;
  meId?: string;
  nameOf?: (userId: string) => string;
  footer?: React.ReactNode;
}

function Action({ label, icon, onClick, testId }: { label: string; icon: Parameters<typeof Icon>[0]['name']; onClick: () => void; testId: string }) {
  return (
    <button type="button" onClick={onClick} aria-label={label} title={label} className="rounded-full p-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800" data-testid={testId}>
      <Icon name={icon} size={16} />
    </button>
  );
}

export function Bubble({
  message, mine, author, replyAuthor, status, onReply, onEdit, onDelete, onDeleteForMe, onForward, onCopy, onTogglePin, pinned, onOpenImage, onJumpToQuote, onReact, meId, nameOf, footer,
}: BubbleProps) {
  const deleted = !!message.deletedAt;
  const live = !deleted;
  const [picking, setPicking] = useState(false);
  const reactions = deleted ? [] : (message.reactions ?? []);
  const hasActions = (live && (onReply || onEdit || onDelete || onForward || onTogglePin || onReact)) || onDeleteForMe;
  return (
    <div className={`group flex flex-col ${mine ? 'items-end' : 'items-start'} px-3 py-0.5`}>
      <div className={`flex min-w-0 max-w-[85%] items-end gap-1 sm:max-w-[70%] ${mine ? 'flex-row-reverse' : ''}`}>
        {/* Focusable: a tap (phones have no hover) or Tab shows the message's actions beside it. */}
        <div
          tabIndex={0}
          data-testid="bubble"
          data-mine={mine}
          className={`min-w-0 rounded-2xl px-3 py-1.5 shadow-sm ${
            mine ? 'rounded-br-md bg-brand-500 text-white' : 'rounded-bl-md bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100'
          }`}
        >
          {author && !mine && <div className="mb-0.5 text-xs font-semibold text-brand-600 dark:text-brand-400">{author}</div>}
          {message.forwarded && !deleted && (
            <div className={`mb-0.5 flex items-center gap-1 text-xs italic ${mine ? 'text-white/80' : 'text-slate-500'}`} data-testid="forwarded">
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
                  <ImageBox image={message.image} onOpen={() => onOpenImage?.(message.image!)} />
                </div>
              )}
              {message.file && (message.file.kind === 'voice' ? <VoicePlayer file={message.file} mine={mine} /> : <FileCard file={message.file} mine={mine} />)}
              {message.text && <MessageText text={message.text} mine={mine} />}
            </>
          )}
          <div className={`mt-0.5 flex items-center justify-end gap-1 text-[11px] ${mine ? 'text-white/80' : 'text-slate-500'}`}>
            {pinned && <span data-testid="pinned-mark" aria-label="Pinned" title="Pinned"><Icon name="pin" size={12} /></span>}
            {message.editedAt && !deleted && <span data-testid="edited">edited</span>}
            <time dateTime={message.createdAt}>{timeOfDay(message.createdAt)}</time>
            {mine && status && <Ticks status={status} />}
          </div>
          {footer}
        </div>
        {hasActions && (
          <div className="flex shrink-0 gap-0.5 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100">
            {live && onReact && (
              <button type="button" onClick={() => setPicking((p) => !p)} aria-label="React" title="React" aria-expanded={picking} className="rounded-full p-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800" data-testid="action-react">
                <Icon name="smile" size={16} />
              </button>
            )}
            {live && onReply && <Action label="Reply" icon="reply" onClick={onReply} testId="action-reply" />}
            {live && onForward && <Action label="Forward" icon="forward" onClick={onForward} testId="action-forward" />}
            {live && onCopy && <Action label="Copy text" icon="copy" onClick={onCopy} testId="action-copy" />}
            {live && onTogglePin && <Action label={pinned ? 'Unpin' : 'Pin'} icon="pin" onClick={onTogglePin} testId={pinned ? 'action-unpin' : 'action-pin'} />}
            {live && onEdit && <Action label="Edit" icon="edit" onClick={onEdit} testId="action-edit" />}
            {live && onDelete && <Action label="Delete for everyone" icon="trash" onClick={onDelete} testId="action-delete" />}
            {onDeleteForMe && <Action label="Delete for me" icon="hide" onClick={onDeleteForMe} testId="action-delete-for-me" />}
          </div>
        )}
      </div>
      <div className="max-w-[85%] sm:max-w-[70%]">
        <ReactionChips reactions={reactions} meId={meId} nameOf={nameOf ?? (() => 'Someone')} onToggle={onReact} mine={mine} />
        {picking && onReact && !deleted && (
          <ReactionPicker
            onPick={(emoji) => {
              setPicking(false);
              const already = !!meId && reactions.some((r) => r.emoji === emoji && r.userIds.includes(meId));
              onReact(emoji, !already);
            }}
            onClose={() => setPicking(false)}
          />
        )}
      </div>
    </div>
  );
}
