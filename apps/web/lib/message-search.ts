import { useEffect, useRef, useState } from 'react';
import { api } from './api';
import type { SearchHitDto, SearchOrder, SearchResultPage, TextRange } from './contracts';

/** A text cut at its highlight ranges: the parts to render, each marked or not (rendered as elements, never HTML). */
export function highlightSegments(text: string, ranges: TextRange[]): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const { start, end } of ranges) {
    if (start < at || end > text.length || end <= start) continue; // out of order or out of bounds: never trusted blindly
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}

export interface MessageSearchState {
  hits: SearchHitDto[];
  loading: boolean;
  error: string | null;
  /** Whether a further page exists (loadMore gets it). */
  hasMore: boolean;
  loadMore: () => void;
}

/** Messages matching `query` (all my chats, or one), asked once the typing has paused for 250 ms; newer answers win. */
export function useMessageSearch(query: string, order: SearchOrder, chatId: string | null): MessageSearchState {
  const [hits, setHits] = useState<SearchHitDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const params = (extra: Record<string, string> = {}) =>
    new URLSearchParams({ q: query.trim(), order, ...(chatId ? { chatId } : {}), ...extra }).toString();

  useEffect(() => {
    const mine = ++generation.current;
    setHits([]);
    setCursor(null);
    setError(null);
    if (!query.trim()) return setLoading(false);
    setLoading(true);
    const t = setTimeout(() => {
      api<SearchResultPage>(`/search/messages?${params()}`)
        .then((page) => {
          if (mine !== generation.current) return;
          setHits(page.items);
          setCursor(page.nextCursor);
        })
        .catch((e: Error) => mine === generation.current && setError(e.message))
        .finally(() => mine === generation.current && setLoading(false));
    }, 250);
    return () => clearTimeout(t);
  }, [query, order, chatId]);

  const loadMore = () => {
    if (!cursor || loading) return;
    const mine = generation.current;
    setLoading(true);
    api<SearchResultPage>(`/search/messages?${params({ cursor })}`)
      .then((page) => {
        if (mine !== generation.current) return;
        setHits((prev) => [...prev, ...page.items]);
        setCursor(page.nextCursor);
      })
      .catch((e: Error) => mine === generation.current && setError(e.message))
      .finally(() => mine === generation.current && setLoading(false));
  };

  return { hits, loading, error, hasMore: cursor !== null, loadMore };
}
