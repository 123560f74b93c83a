import { useEffect, useState } from 'react';
import { api } from './api';
import type { Page, UserDto } from './contracts';

export interface PeopleSearchOptions {
  limit: number;
  /** An empty box lists people too (the new-chat picker); otherwise it lists nobody. */
  emptyToo?: boolean;
  /** Told when the search fails; without it, a failed search lists nobody. */
  onError?: (error: Error) => void;
}

/** People whose name or email starts with `query`, asked once the typing has paused for 200 ms. */
export function usePeopleSearch(query: string, { limit, emptyToo = false, onError }: PeopleSearchOptions): UserDto[] {
  const [people, setPeople] = useState<UserDto[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (!q && !emptyToo) return setPeople([]);
    const t = setTimeout(() => {
      api<Page<UserDto>>(`/users?q=${encodeURIComponent(q)}&limit=${limit}`)
        .then((page) => setPeople(page.items))
        .catch((e: Error) => (onError ? onError(e) : setPeople([])));
    }, 200);
    return () => clearTimeout(t);
    // Asked again only when the text changes: the options are fixed per search box.
  }, [query]);
  return people;
}
