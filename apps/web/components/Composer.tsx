'use client';
import { KeyboardEvent, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { uploadFile } from '@/lib/api';
import type { FileRef, ImageRef, MessageDto } from '@/lib/contracts';
import { editMessage, noteTyping, queueMessage } from '@/lib/engine';
import { hasOnScreenKeyboard } from '@/lib/device';
import { fileSize } from '@/lib/format';
import { newClientMessageId } from '@/lib/ids';
import { activeMentionQuery, decodeMentions, encodeMentions, filterCandidates, insertMention, MentionCandidate, MentionQuery } from '@/lib/mention-composer';
import { getState, plainText, State, useStore } from '@/lib/store';
import { showError, showToast } from '@/lib/toasts';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { useVoiceRecorder } from './use-voice-recorder';

/** One line for the reply and edit bars: the text (mentions by name), else what is attached. */
function summaryOf(s: State, message: MessageDto): string {
  if (message.text) return plainText(s, message.text);
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
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const bar = useStore((s) => (editing || replyTo ? summaryOf(s, (editing ?? replyTo)!) : ''));

  // Mentions: in a group, `@` suggests its other members; the names chosen are sent as their ids.
  const chat = useStore((s) => s.chats[chatId]);
  const users = useStore((s) => s.users);
  const meId = useStore((s) => s.me?.id);
  const [chosen, setChosen] = useState<MentionCandidate[]>([]);
  const [mention, setMention] = useState<{ at: MentionQuery; index: number } | null>(null);
  const candidates = useMemo(
    () =>
      chat?.kind === 'group'
        ? chat.members.filter((m) => m.userId !== meId && users[m.userId]).map((m) => ({ userId: m.userId, name: users[m.userId]!.displayName }))
        : [],
    [chat, users, meId],
  );
  const suggestions = mention ? filterCandidates(candidates, mention.at.query) : [];
  const suggesting = suggestions.length > 0;
  const listId = `mention-suggestions-${chatId}`;
  // Where the caret goes once a chosen name is in the box: set as soon as React has rendered the new text, before
  // the next key is handled. Any later (a frame later, say) it would jump back over what a fast typist typed since.
  const caretAfterRender = useRef<number | null>(null);

  // Focus follows a reply or an edit, and on a desktop the opening of a chat too; on a phone a chat opens to be
  // read: focusing the field there would pop the keyboard up over the thread each time.
  const opened = useRef(false);
  useEffect(() => {
    if (editing) {
      // The stored text's mentions become names again, and are sent back as the same ids when saved.
      const state = getState();
      const editable = decodeMentions(editing.text ?? '', (id) => (id === state.me?.id ? state.me.displayName : state.users[id]?.displayName ?? 'someone'));
      setText(editable.text);
      setChosen(editable.chosen);
    }
    const wasOpened = opened.current;
    opened.current = true;
    if (wasOpened || !hasOnScreenKeyboard()) input.current?.focus();
  }, [editing, replyTo]);

  useEffect(() => {
    setText('');
    setUpload(null);
    setChosen([]);
    setMention(null);
  }, [chatId]);

  /** Follows the caret: suggestions open while an `@name` is being typed right before it. */
  function followCaret(value: string, caret: number) {
    const at = activeMentionQuery(value, caret);
    setMention((current) => (at ? { at, index: current && current.at.start === at.start && current.at.query === at.query ? current.index : 0 } : null));
  }

  function choose(candidate: MentionCandidate) {
    const el = input.current;
    if (!mention || !el) return;
    const inserted = insertMention(text, mention.at, el.selectionStart ?? text.length, candidate.name);
    setText(inserted.text);
    setChosen((held) => [...held.filter((c) => c.userId !== candidate.userId), candidate]);
    setMention(null);
    caretAfterRender.current = inserted.caret;
  }

  useLayoutEffect(() => {
    const el = input.current;
    const caret = caretAfterRender.current;
    if (!el || caret === null) return;
    caretAfterRender.current = null;
    el.focus();
    el.setSelectionRange(caret, caret);
  });

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
      .catch((e: Error) => {
        setUpload((u) => (u && u.file === file ? { ...u, error: e.message || 'Upload failed' } : u));
        showToast(`Could not upload ${file.name}: ${e.message || 'upload failed'}`, 'error');
      });
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
    if (editing) {
      try {
        await editMessage(editing.id, encodeMentions(text.trim(), chosen));
        setText('');
        setChosen([]);
        onDone();
      } catch (e) {
        showError(e);
      }
      return;
    }
    queueMessage({
      clientMessageId: newClientMessageId(),
      chatId,
      text: encodeMentions(text.trim(), chosen) || null,
      image: upload?.image ?? null,
      file: upload?.attached ?? null,
      replyToId: replyTo?.id ?? null,
    });
    noteTyping(chatId, false);
    setText('');
    setChosen([]);
    setMention(null);
    clearUpload();
    onDone();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggesting && mention) {
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (step) {
        e.preventDefault();
        return setMention({ ...mention, index: (mention.index + step + suggestions.length) % suggestions.length });
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.nativeEvent.isComposing) {
        e.preventDefault();
        return choose(suggestions[Math.min(mention.index, suggestions.length - 1)]!);
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        return setMention(null);
      }
    }
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
            <div className="truncate text-slate-600 dark:text-slate-400">{bar}</div>
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
              // Said by the toast; written here beside the file it is about.
              <span className="text-red-600" data-testid="upload-error">
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
      <div className="relative flex items-end gap-2">
        {suggesting && mention && (
          <ul
            id={listId}
            role="listbox"
            aria-label="Mention a member"
            data-testid="mention-suggestions"
            className="absolute bottom-full left-10 z-20 mb-2 max-h-64 w-64 max-w-[80%] overflow-y-auto rounded-xl border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
          >
            {suggestions.map((c, i) => (
              <li
                key={c.userId}
                id={`${listId}-${c.userId}`}
                role="option"
                aria-selected={i === mention.index}
                data-testid="mention-option"
                data-user-id={c.userId}
                // Chosen before the textarea loses focus, so the caret stays where the name goes.
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(c);
                }}
                className={`flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm ${i === mention.index ? 'bg-brand-50 dark:bg-slate-800' : ''}`}
              >
                <Avatar name={c.name} url={users[c.userId]?.avatarUrl ?? null} size={24} />
                <span className="truncate">{c.name}</span>
              </li>
            ))}
          </ul>
        )}
        {!editing && (
          <>
            {/* Out of the Tab order and of the accessibility tree: the button below opens it. */}
            <input ref={fileInput} type="file" className="sr-only" data-testid="file-input" tabIndex={-1} aria-hidden onChange={(e) => pick(e.target.files?.[0])} />
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
            followCaret(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onClick={(e) => followCaret(e.currentTarget.value, e.currentTarget.selectionStart ?? 0)}
          onKeyUp={(e) => (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') && followCaret(e.currentTarget.value, e.currentTarget.selectionStart ?? 0)}
          onBlur={() => {
            noteTyping(chatId, false);
            setMention(null);
          }}
          aria-autocomplete={candidates.length ? 'list' : undefined}
          aria-controls={suggesting ? listId : undefined}
          aria-activedescendant={suggesting && mention ? `${listId}-${suggestions[Math.min(mention.index, suggestions.length - 1)]!.userId}` : undefined}
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
