/** A page of a keyset-paginated list: pass `nextCursor` back to get the next page; null at the end. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
