import { api } from './api';
import type { ChatSummaryDto } from './contracts';
import { ensureUsers } from './engine';
import { forgetChat, upsertChat } from './store';

/**
 * What a member changes about a chat from its info panel. Each call answers with the chat as this user now
 * sees it; the other members hear of it through `chat:updated` (and removed ones through `chat:removed`).
 */
async function changed(request: Promise<ChatSummaryDto>): Promise<ChatSummaryDto> {
  const chat = await request;
  upsertChat(chat);
  await ensureUsers(chat.members.map((m) => m.userId));
  return chat;
}

const path = (chatId: string) => `/chats/${encodeURIComponent(chatId)}`;

export const renameGroup = (chatId: string, title: string) => changed(api(path(chatId), { method: 'PATCH', body: { title } }));

/** Whether members who join from now on see the messages sent before they joined. */
export const setHistoryVisible = (chatId: string, historyVisible: boolean) => changed(api(path(chatId), { method: 'PATCH', body: { historyVisible } }));

export const addMembers = (chatId: string, memberIds: string[]) => changed(api(`${path(chatId)}/members`, { method: 'POST', body: { memberIds } }));

export const removeMember = (chatId: string, userId: string) =>
  changed(api(`${path(chatId)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' }));

export const setAdmin = (chatId: string, userId: string, admin: boolean) =>
  changed(api(`${path(chatId)}/admins/${encodeURIComponent(userId)}`, { method: admin ? 'POST' : 'DELETE' }));

export const setMuted = (chatId: string, muted: boolean) => changed(api(`${path(chatId)}/mute`, { method: 'POST', body: { muted } }));

export async function leaveGroup(chatId: string): Promise<void> {
  await api(`${path(chatId)}/leave`, { method: 'POST' });
  forgetChat(chatId);
}

/** "Delete chat" for me: it comes back with the next message. */
export async function hideChat(chatId: string): Promise<void> {
  await api(`${path(chatId)}/hide`, { method: 'POST' });
  forgetChat(chatId);
}
