/**
 * Who sees which messages of a chat. Each member has a floor, the first seq they may see: decided by Messages when
 * it applies the membership that brings them in, so it is consistent with its own seq counter. Nothing sent before
 * it is theirs to read (history, around, changes, sync, replies' previews, live frames), ever: leaving and coming
 * back sets a new floor. A group whose admins let new members see earlier history, and every 1:1 chat, gives 0.
 */
export function visibilityFloor(historyVisible: boolean, chatLastSeq: number): number {
  return historyVisible ? 0 : chatLastSeq + 1;
}

/** Whether a member with this floor may see the message with this seq. */
export function isVisibleFrom(floor: number, seq: number): boolean {
  return seq >= floor;
}

/** Of some members, the ids of those who may see the message with this seq. */
export function membersSeeing<T extends { userId: string; visibleFromSeq: number }>(members: T[], seq: number): string[] {
  return members.filter((m) => isVisibleFrom(m.visibleFromSeq, seq)).map((m) => m.userId);
}

/** Of some members, the ids of those who may NOT see the message with this seq (a reply's preview is redacted for them). */
export function membersNotSeeing<T extends { userId: string; visibleFromSeq: number }>(members: T[], seq: number): string[] {
  return members.filter((m) => !isVisibleFrom(m.visibleFromSeq, seq)).map((m) => m.userId);
}
