'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { uploadFile } from '@/lib/api';
import type { FileRef } from '@/lib/contracts';
import { clockDuration } from '@/lib/format';

export type VoiceState =
  | { phase: 'idle' }
  | { phase: 'recording'; startedAt: number }
  | { phase: 'uploading'; progress: number }
  | { phase: 'failed'; error: string };

/** Containers the server takes as voice, in the order we ask the browser for them. */
const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];

interface Take {
  recorder: MediaRecorder;
  stream: MediaStream;
  chunks: Blob[];
  startedAt: number;
  /** False when the take is thrown away (cancel, unmount): its data is never sent. */
  keep: boolean;
}

/**
 * Records a voice message with MediaRecorder, uploads it as `kind=voice` with the length measured here (the
 * recorder's WebM carries none), and hands the stored file to `onSent`. Every failure (no microphone, permission
 * refused, upload refused) ends in `failed` with a message for the composer.
 */
export function useVoiceRecorder(onSent: (file: FileRef) => void) {
  const [state, setState] = useState<VoiceState>({ phase: 'idle' });
  const [now, setNow] = useState(Date.now());
  const take = useRef<Take | null>(null);
  const sent = useRef(onSent);
  sent.current = onSent;

  const release = useCallback(() => {
    const current = take.current;
    take.current = null;
    if (!current) return;
    current.keep = false;
    if (current.recorder.state !== 'inactive') current.recorder.stop();
    current.stream.getTracks().forEach((track) => track.stop());
  }, []);

  useEffect(() => release, [release]);

  useEffect(() => {
    if (state.phase !== 'recording') return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [state.phase]);

  const start = useCallback(async () => {
    if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      setState({ phase: 'failed', error: 'Voice messages are not supported in this browser' });
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      setState({ phase: 'failed', error: `No microphone: ${(error as Error).message || 'permission refused'}` });
      return;
    }
    // The chat (and reply) of the moment recording began, even if the user opens another chat meanwhile.
    const deliver = sent.current;
    const mimeType = RECORDING_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const current: Take = { recorder, stream, chunks: [], startedAt: Date.now(), keep: true };
    take.current = current;
    recorder.ondataavailable = (event) => event.data.size > 0 && current.chunks.push(event.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((track) => track.stop());
      if (!current.keep) return;
      const durationMs = Math.max(1, Date.now() - current.startedAt);
      const type = recorder.mimeType || mimeType || 'audio/webm';
      const blob = new Blob(current.chunks, { type });
      const extension = type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
      setState({ phase: 'uploading', progress: 0 });
      uploadFile<FileRef>(blob, (progress) => setState({ phase: 'uploading', progress }), {
        path: '/uploads/files',
        fields: { kind: 'voice', durationMs: String(durationMs) },
        fileName: `Voice message.${extension}`,
      })
        .then((file) => {
          setState({ phase: 'idle' });
          deliver(file);
        })
        .catch((error: Error) => setState({ phase: 'failed', error: `Could not send the voice message: ${error.message}` }));
    };
    // Chunks every second, so a long take never sits in one buffer.
    recorder.start(1000);
    setNow(Date.now());
    setState({ phase: 'recording', startedAt: current.startedAt });
  }, []);

  const finish = useCallback(() => {
    const current = take.current;
    take.current = null;
    if (current && current.recorder.state !== 'inactive') current.recorder.stop();
  }, []);

  const cancel = useCallback(() => {
    release();
    setState({ phase: 'idle' });
  }, [release]);

  // Whole seconds gone, as a clock counts (not rounded up).
  const elapsedLabel = state.phase === 'recording' ? clockDuration(Math.floor(Math.max(0, now - state.startedAt) / 1000) * 1000) : '0:00';
  return { state, start, finish, cancel, elapsedLabel };
}
