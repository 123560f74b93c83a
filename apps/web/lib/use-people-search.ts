import { useEffect, useState } from 'react';
import { api } from './api';
import type { Page, PublicUserDto } from './contracts';

export interface PeopleSearchOptions {
  limit: number;
  /** An empty box lists people too (the new-chat picker); otherwise it lists nobody. */
  emptyToo?: boolean;
  /** Told when the search fails; without it, a failed search lists nobody. */
  onError?: (error: Error) => void;
}

/**
 * People whose name starts with `query` (all of them, or only people who share a chat with me, as the server's
 * directory setting says), or the one person with that exact email; asked once the typing has paused for 200 ms.
 */
export function usePeopleSearch(query: string, { limit, emptyToo = false, onError }: PeopleSearchOptions): PublicUserDto[] {
  const [people, setPeople] = useState<PublicUserDto[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (!q && !emptyToo) return setPeople([]);
    // An answer to an older text may come after the newer one's (the empty box's list is the slower question):
    // only the answer to the text in the box is shown.
    let current = true;
    const t = setTimeout(() => {
      api<Page<PublicUserDto>>(`/users?q=${encodeURIComponent(q)}&limit=${limit}`)
        .then((page) => current && setPeople(page.items))
        .catch((e: Error) => current && (onError ? onError(e) : setPeople([])));
    }, 200);
    return () => {
      current = false;
      clearTimeout(t);
    };
    // Asked again only when the text changes: the options are fixed per search box.
  }, [query]);
  return people;
}
