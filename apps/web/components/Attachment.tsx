'use client';
import { useEffect, useRef, useState } from 'react';
import type { FileRef } from '@/lib/contracts';
import { clockDuration, fileSize } from '@/lib/format';
import { Icon } from './Icon';
import { useItemTabIndex } from './roving';

/** A short label for a type: "PDF", "ZIP", "WEBM"; "File" when the server did not recognise it. */
function typeLabel(file: Pick<FileRef, 'mimeType' | 'name'>): string {
  if (file.mimeType && file.mimeType !== 'application/octet-stream') return file.mimeType.split('/')[1].toUpperCase();
  const dot = file.name.lastIndexOf('.');
  return dot > 0 && file.name.length - dot <= 6 ? file.name.slice(dot + 1).toUpperCase() : 'File';
}

/**
 * A file in a bubble: its name, size and type, and a download link. The server sends it as an attachment under
 * this name; `download` says the same to the browser for same-origin links.
 */
export function FileCard({ file, mine }: { file: FileRef; mine: boolean }) {
  const tabIndex = useItemTabIndex();
  return (
    <a
      href={file.url}
      tabIndex={tabIndex}
      download={file.name}
      rel="noopener noreferrer"
      data-testid="message-file"
      className={`mb-1 flex max-w-[280px] items-center gap-3 rounded-xl px-3 py-2 ${mine ? 'bg-white/15 hover:bg-white/25' : 'bg-white hover:bg-slate-50 dark:bg-slate-700 dark:hover:bg-slate-600'}`}
      aria-label={`Download ${file.name}, ${fileSize(file.bytes)}`}
    >
      <Icon name="file" size={28} className="shrink-0" />
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium" data-testid="file-name" title={file.name}>
          {file.name}
        </span>
        <span className={`block text-xs ${mine ? 'text-white/80' : 'text-slate-500 dark:text-slate-400'}`} data-testid="file-meta">
          {fileSize(file.bytes)} · {typeLabel(file)}
        </span>
      </span>
      <Icon name="download" size={18} className="shrink-0" />
    </a>
  );
}

/**
 * A voice message: play/pause, a progress bar that also seeks, and the time (the recording's length until it
 * plays, then the position). The length comes from the message (MediaRecorder's WebM has none in its header).
 */
export function VoicePlayer({ file, mine }: { file: FileRef; mine: boolean }) {
  const audio = useRef<HTMLAudioElement>(null);
  const tabIndex = useItemTabIndex();
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const durationMs = file.durationMs ?? 0;
  const progress = durationMs > 0 ? Math.min(1, (position * 1000) / durationMs) : 0;

  useEffect(() => {
    const el = audio.current;
    if (!el) return;
    const onTime = () => setPosition(el.currentTime);
    const onEnd = () => {
      setPlaying(false);
      setPosition(durationMs / 1000);
    };
    const onPause = () => setPlaying(false);
    const onPlay = () => setPlaying(true);
    const onError = () => setError('Could not play this voice message');
    el.addEventListener('timeupdate', onTime);
    el.addEventListener('ended', onEnd);
    el.addEventListener('pause', onPause);
    el.addEventListener('play', onPlay);
    el.addEventListener('error', onError);
    return () => {
      el.removeEventListener('timeupdate', onTime);
      el.removeEventListener('ended', onEnd);
      el.removeEventListener('pause', onPause);
      el.removeEventListener('play', onPlay);
      el.removeEventListener('error', onError);
    };
  }, [durationMs]);

  function toggle() {
    const el = audio.current;
    if (!el) return;
    if (el.paused) {
      if (el.ended || progress >= 1) el.currentTime = 0;
      el.play().catch((e: Error) => setError(e.message));
    } else el.pause();
  }

  function seek(fraction: number) {
    const el = audio.current;
    if (!el || !durationMs) return;
    el.currentTime = (fraction * durationMs) / 1000;
    setPosition(el.currentTime);
  }

  return (
    <div className="mb-1 flex w-60 items-center gap-2" data-testid="voice-message" data-playing={playing} data-position={position.toFixed(2)}>
      <audio ref={audio} src={file.url} preload="metadata" />
      <button
        type="button"
        onClick={toggle}
        tabIndex={tabIndex}
        aria-label={playing ? 'Pause voice message' : 'Play voice message'}
        data-testid="voice-play"
        className={`rounded-full p-2 ${mine ? 'bg-white/20 hover:bg-white/30' : 'bg-brand-500 text-white hover:bg-brand-600'}`}
      >
        <Icon name={playing ? 'pause' : 'play'} size={16} />
      </button>
      <div className="flex-1">
        <div
          role="slider"
          tabIndex={tabIndex ?? 0}
          aria-label="Position"
          aria-valuemin={0}
          aria-valuemax={Math.round(durationMs / 1000)}
          aria-valuenow={Math.round(position)}
          data-testid="voice-progress"
          data-progress={progress.toFixed(3)}
          onClick={(e) => {
            const box = e.currentTarget.getBoundingClientRect();
            seek((e.clientX - box.left) / box.width);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') seek(Math.min(1, progress + 0.1));
            if (e.key === 'ArrowLeft') seek(Math.max(0, progress - 0.1));
          }}
          className={`h-1.5 w-full cursor-pointer overflow-hidden rounded-full ${mine ? 'bg-white/30' : 'bg-slate-300 dark:bg-slate-600'}`}
        >
          <div className={`h-full ${mine ? 'bg-white' : 'bg-brand-500'}`} style={{ width: `${progress * 100}%` }} />
        </div>
        <div className={`mt-0.5 text-[11px] ${mine ? 'text-white/80' : 'text-slate-500'}`} data-testid="voice-duration">
          {error ?? (playing || position > 0 ? `${clockDuration(position * 1000)} / ${clockDuration(durationMs)}` : clockDuration(durationMs))}
        </div>
      </div>
    </div>
  );
}
