/** Every socket of a user joins this room, so each of the user's devices receives every event for them. */
export const userRoom = (userId: string): string => `user:${userId}`;

/** Sockets that asked for a user's presence (`presence:query`) join this room to hear its changes. */
export const presenceRoom = (userId: string): string => `presence:${userId}`;

export const userRooms = (userIds: readonly string[]): string[] => userIds.map(userRoom);

/** Every socket of one sign-in session: revoking the session disconnects exactly these, on every gateway. */
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;
