/** What crosses a boundary is plain JSON: the in-process transport enforces it by round-tripping. */
export function jsonRoundTrip<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
