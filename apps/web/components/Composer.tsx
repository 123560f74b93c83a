'use client';
import { KeyboardEvent, useEffect, useRef, useState } from 'react';
import { uploadFile } from '@/lib/api';
import type { ImageRef, MessageDto } from '@/lib/contracts';
import { editMessage, noteTyping, queueMessage } from '@/lib/engine';
import { newClientMessageId } from '@/lib/ids';
import { Icon } from './Icon';

interface Upload {
  file: File;
  previewUrl: string;
  progress: number;
  image: ImageRef | null;
  error: string | null;
}

export interface ComposerProps {
  chatId: string;
  replyTo: MessageDto | null;
  replyAuthor: string;
  editing: MessageDto | null;
  onDone: () => void;
}

/** Enter sends, Shift+Enter adds a line; an image uploads as soon as it is picked, with its progress. */
export function Composer({ chatId, replyTo, replyAuthor, editing, onDone }: ComposerProps) {
  const [text, setText] = useState('');
  const [upload, setUpload] = useState<Upload | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing) setText(editing.text ?? '');
    input.current?.focus();
  }, [editing, replyTo]);

  useEffect(() => {
    setText('');
    setUpload(null);
    setError(null);
  }, [chatId]);

  // Grow with the text, up to a limit.
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [text]);

  function pick(file: File | undefined) {
    if (!file) return;
    const previewUrl = URL.createObjectURL(file);
    const state: Upload = { file, previewUrl, progress: 0, image: null, error: null };
    setUpload(state);
    uploadFile<ImageRef>(file, (progress) => setUpload((u) => (u && u.file === file ? { ...u, progress } : u)))
      .then((image) => setUpload((u) => (u && u.file === file ? { ...u, image, progress: 1 } : u)))
      .catch((e) => setUpload((u) => (u && u.file === file ? { ...u, error: e.message } : u)));
  }

  function clearUpload() {
    if (upload) URL.revokeObjectURL(upload.previewUrl);
    setUpload(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  const uploading = !!upload && !upload.image && !upload.error;
  const canSend = !uploading && (editing ? text.trim().length > 0 : text.trim().length > 0 || !!upload?.image);

  async function submit() {
    if (!canSend) return;
    setError(null);
    if (editing) {
      try {
        await editMessage(editing.id, text.trim());
        setText('');
        onDone();
      } catch (e: any) {
        setError(e.message);
      }
      return;
    }
    queueMessage({
      clientMessageId: newClientMessageId(),
      chatId,
      text: text.trim() || null,
      image: upload?.image ?? null,
      replyToId: replyTo?.id ?? null,
    });
    noteTyping(chatId, false);
    setText('');
    clearUpload();
    onDone();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape' && (editing || replyTo)) {
      setText('');
      onDone();
    }
  }

  return (
    <div className="border-t border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-950">
      {(replyTo || editing) && (
        <div className="mb-2 flex items-center gap-2 rounded-lg border-l-4 border-brand-500 bg-slate-100 px-3 py-1.5 text-sm dark:bg-slate-900" data-testid={editing ? 'edit-bar' : 'reply-bar'}>
          <div className="min-w-0 flex-1">
            <div className="text-xs font-semibold text-brand-600 dark:text-brand-400">{editing ? 'Edit message' : `Reply to ${replyAuthor}`}</div>
            <div className="truncate text-slate-600 dark:text-slate-400">{(editing ?? replyTo)!.text ?? 'Photo'}</div>
          </div>
          <button
            onClick={() => {
              setText('');
              onDone();
            }}
            aria-label="Cancel"
            className="rounded-full p-1 hover:bg-slate-200 dark:hover:bg-slate-800"
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
      {upload && (
        <div className="mb-2 flex items-center gap-3" data-testid="upload-preview">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={upload.previewUrl} alt="Selected image" className="h-16 w-16 rounded-lg object-cover" />
          <div className="flex-1 text-sm">
            {upload.error ? (
              <span role="alert" className="text-red-600">{upload.error}</span>
            ) : (
              <>
                <div className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
                  <div className="h-full bg-brand-500 transition-all" style={{ width: `${Math.round(upload.progress * 100)}%` }} />
                </div>
                <span className="text-xs text-slate-500" data-testid="upload-status">
                  {upload.image ? 'Ready to send' : `Uploading… ${Math.round(upload.progress * 100)}%`}
                </span>
              </>
            )}
          </div>
          <button onClick={clearUpload} aria-label="Remove image" className="rounded-full p-1 hover:bg-slate-200 dark:hover:bg-slate-800">
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
      {error && <p role="alert" className="mb-1 text-sm text-red-600">{error}</p>}
      <div className="flex items-end gap-2">
        {!editing && (
          <>
            <input
              ref={fileInput}
              type="file"
              accept="image/jpeg,image/png,image/webp,image/gif"
              className="sr-only"
              id={`file-${chatId}`}
              data-testid="file-input"
              onChange={(e) => pick(e.target.files?.[0])}
            />
            <label
              htmlFor={`file-${chatId}`}
              tabIndex={0}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && fileInput.current?.click()}
              className="cursor-pointer rounded-full p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
              aria-label="Attach an image"
              title="Attach an image"
            >
              <Icon name="attach" size={22} />
            </label>
          </>
        )}
        <textarea
          ref={input}
          rows={1}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            noteTyping(chatId, e.target.value.length > 0);
          }}
          onBlur={() => noteTyping(chatId, false)}
          onKeyDown={onKeyDown}
          placeholder={editing ? 'Edit your message' : 'Message'}
          aria-label="Message"
          data-testid="composer"
          maxLength={4000}
          className="max-h-40 flex-1 resize-none rounded-2xl border border-slate-300 bg-transparent px-4 py-2 dark:border-slate-700"
        />
        <button
          onClick={() => void submit()}
          disabled={!canSend}
          aria-label={editing ? 'Save' : 'Send'}
          data-testid="send"
          className="rounded-full bg-brand-500 px-4 py-2 font-medium text-white hover:bg-brand-600 disabled:opacity-40"
        >
          {editing ? 'Save' : 'Send'}
        </button>
      </div>
    </div>
  );
}
