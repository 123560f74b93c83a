'use client';
import { KeyboardEvent, useEffect, useRef, useState } from 'react';
import { uploadFile } from '@/lib/api';
import type { FileRef, ImageRef, MessageDto } from '@/lib/contracts';
import { editMessage, noteTyping, queueMessage } from '@/lib/engine';
import { fileSize } from '@/lib/format';
import { newClientMessageId } from '@/lib/ids';
import { Icon } from './Icon';
import { useVoiceRecorder } from './use-voice-recorder';

/** One line for the reply and edit bars: the text, else what is attached. */
function summaryOf(message: MessageDto): string {
  if (message.text) return message.text;
  if (message.image) return 'Photo';
  if (message.file) return message.file.kind === 'voice' ? 'Voice message' : message.file.name;
  return '';
}

/** Images the server re-encodes and previews inline; any other file goes as a download. */
const PREVIEWED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

interface Upload {
  file: File;
  /** Images only, and only until the preview fails to draw (then the file's name stands in). */
  previewUrl: string | null;
  progress: number;
  image: ImageRef | null;
  attached: FileRef | null;
  error: string | null;
}

export interface ComposerProps {
  chatId: string;
  replyTo: MessageDto | null;
  replyAuthor: string;
  editing: MessageDto | null;
  onDone: () => void;
}

/**
 * Enter sends, Shift+Enter adds a line. A photo or any file uploads as soon as it is picked, with its progress;
 * a failed upload says why and offers nothing to send. The microphone records a voice message, sent on "Send".
 */
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

  // A voice message goes as soon as it is recorded and uploaded (nothing to add to it).
  const voice = useVoiceRecorder((file) =>
    queueMessage({ clientMessageId: newClientMessageId(), chatId, text: null, image: null, file, replyToId: replyTo?.id ?? null }),
  );

  // Opening another chat throws away a take still being recorded.
  const cancelVoice = voice.cancel;
  useEffect(() => () => cancelVoice(), [chatId, cancelVoice]);

  function pick(file: File | undefined) {
    if (!file) return;
    if (upload?.previewUrl) URL.revokeObjectURL(upload.previewUrl);
    const isImage = PREVIEWED_IMAGE_TYPES.includes(file.type);
    const state: Upload = { file, previewUrl: isImage ? URL.createObjectURL(file) : null, progress: 0, image: null, attached: null, error: null };
    setUpload(state);
    const onProgress = (progress: number) => setUpload((u) => (u && u.file === file ? { ...u, progress } : u));
    const done = isImage
      ? uploadFile<ImageRef>(file, onProgress).then((image) => ({ image, attached: null }))
      : uploadFile<FileRef>(file, onProgress, { path: '/uploads/files', fields: { kind: 'file' } }).then((attached) => ({ image: null, attached }));
    done
      .then((result) => setUpload((u) => (u && u.file === file ? { ...u, ...result, progress: 1 } : u)))
      .catch((e: Error) => setUpload((u) => (u && u.file === file ? { ...u, error: e.message || 'Upload failed' } : u)));
  }

  function clearUpload() {
    if (upload?.previewUrl) URL.revokeObjectURL(upload.previewUrl);
    setUpload(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  const uploaded = !!upload?.image || !!upload?.attached;
  const uploading = !!upload && !uploaded && !upload.error;
  const canSend = !uploading && !upload?.error && (editing ? text.trim().length > 0 : text.trim().length > 0 || uploaded);

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
      file: upload?.attached ?? null,
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
            <div className="truncate text-slate-600 dark:text-slate-400">{summaryOf((editing ?? replyTo)!)}</div>
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
        <div className="mb-2 flex items-center gap-3" data-testid="upload-preview" data-state={upload.error ? 'failed' : uploaded ? 'ready' : 'uploading'}>
          {upload.previewUrl && !upload.error ? (
            // eslint-disable-next-line @next/next/no-img-element
            <img
              src={upload.previewUrl}
              alt="Selected image"
              className="h-16 w-16 rounded-lg object-cover"
              // Not drawable here: show what it is instead of a broken picture.
              onError={() => setUpload((u) => (u && u.file === upload.file ? { ...u, previewUrl: null } : u))}
            />
          ) : (
            <span
              className={`flex h-16 w-16 shrink-0 items-center justify-center rounded-lg ${upload.error ? 'bg-red-50 text-red-600 dark:bg-red-950' : 'bg-slate-100 text-slate-500 dark:bg-slate-800'}`}
            >
              <Icon name={upload.error ? 'alert' : 'file'} size={28} />
            </span>
          )}
          <div className="min-w-0 flex-1 text-sm">
            <div className="truncate font-medium" data-testid="upload-name">
              {upload.file.name} <span className="font-normal text-slate-500">· {fileSize(upload.file.size)}</span>
            </div>
            {upload.error ? (
              <span role="alert" className="text-red-600" data-testid="upload-error">
                Could not upload: {upload.error}
              </span>
            ) : (
              <>
                <div className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
                  <div className="h-full bg-brand-500 transition-all" style={{ width: `${Math.round(upload.progress * 100)}%` }} />
                </div>
                <span className="text-xs text-slate-500" data-testid="upload-status">
                  {uploaded ? 'Ready to send' : `Uploading… ${Math.round(upload.progress * 100)}%`}
                </span>
              </>
            )}
          </div>
          <button onClick={clearUpload} aria-label="Remove attachment" className="rounded-full p-1 hover:bg-slate-200 dark:hover:bg-slate-800">
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
      {voice.state.phase !== 'idle' && (
        <div className="mb-2 flex items-center gap-3 text-sm" data-testid="voice-recorder" data-phase={voice.state.phase}>
          {voice.state.phase === 'recording' && (
            <>
              <span className="h-2.5 w-2.5 animate-pulse rounded-full bg-red-500" aria-hidden />
              <span data-testid="recording-time">Recording {voice.elapsedLabel}</span>
            </>
          )}
          {voice.state.phase === 'uploading' && <span data-testid="upload-status">Sending voice message… {Math.round(voice.state.progress * 100)}%</span>}
          {voice.state.phase === 'failed' && (
            <span role="alert" className="text-red-600" data-testid="upload-error">
              {voice.state.error}
            </span>
          )}
          <span className="flex-1" />
          {voice.state.phase === 'recording' && (
            <button onClick={voice.finish} className="rounded-full bg-brand-500 px-3 py-1 font-medium text-white hover:bg-brand-600" data-testid="recording-send">
              Send
            </button>
          )}
          {voice.state.phase !== 'uploading' && (
            <button onClick={voice.cancel} aria-label="Discard voice message" className="rounded-full p-1 hover:bg-slate-200 dark:hover:bg-slate-800" data-testid="recording-cancel">
              <Icon name="close" size={16} />
            </button>
          )}
        </div>
      )}
      {error && <p role="alert" className="mb-1 text-sm text-red-600">{error}</p>}
      <div className="flex items-end gap-2">
        {!editing && (
          <>
            {/* Out of the Tab order and hidden from screen readers: the button below opens it. */}
            <input
              ref={fileInput}
              type="file"
              className="sr-only"
              tabIndex={-1}
              aria-hidden
              data-testid="file-input"
              onChange={(e) => pick(e.target.files?.[0])}
            />
            <button
              type="button"
              onClick={() => fileInput.current?.click()}
              className="rounded-full p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
              aria-label="Attach a photo or file"
              title="Attach a photo or file"
            >
              <Icon name="attach" size={22} />
            </button>
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
        {!editing && !upload && !text.trim() && voice.state.phase === 'idle' && (
          <button
            onClick={() => void voice.start()}
            aria-label="Record a voice message"
            title="Record a voice message"
            data-testid="record-voice"
            className="rounded-full p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
          >
            <Icon name="mic" size={22} />
          </button>
        )}
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
