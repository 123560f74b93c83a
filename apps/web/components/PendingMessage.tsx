'use client';
import { discardMessage, retryMessage } from '@/lib/engine';
import type { MessageDto } from '@/lib/contracts';
import { OutboxEntry, quoteOf } from '@/lib/store';
import { Bubble } from './Bubble';
import { useItemTabIndex } from './roving';

/** One of mine the server has not confirmed yet: sending, or failed with Retry and Discard. */
export function PendingMessage({ entry, replied, replyAuthor, first, last }: { entry: OutboxEntry; replied?: MessageDto; replyAuthor: string; first: boolean; last: boolean }) {
  return (
    <Bubble
      message={{
        text: entry.text,
        image: entry.image,
        file: entry.file ?? null,
        replyTo: replied ? quoteOf(replied) : null,
        createdAt: entry.createdAt,
        editedAt: null,
        deletedAt: null,
        reactions: [],
      }}
      mine
      senderName="You"
      author={null}
      first={first}
      last={last}
      replyAuthor={replyAuthor}
      status={entry.status}
      footer={entry.status === 'failed' ? <FailedFooter entry={entry} /> : null}
    />
  );
}

function FailedFooter({ entry }: { entry: OutboxEntry }) {
  const tabIndex = useItemTabIndex();
  return (
    <div className="mt-1 flex gap-2 text-xs">
      <span>{entry.error ?? 'Not sent'}</span>
      <button className="font-semibold underline" tabIndex={tabIndex} data-action onClick={() => retryMessage(entry.clientMessageId)} data-testid="retry">
        Retry
      </button>
      <button className="underline" tabIndex={tabIndex} data-action onClick={() => discardMessage(entry.clientMessageId)}>
        Discard
      </button>
    </div>
  );
}
