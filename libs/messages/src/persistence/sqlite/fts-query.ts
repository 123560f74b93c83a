/**
 * FTS5 MATCH expressions built from search terms (search-terms.ts), never from the user's text: each term is a
 * quoted string, so nothing the user typed is ever FTS syntax (`"`, `*`, `-`, `NEAR`, `AND`, column filters).
 */

/** An FTS5 string: in double quotes, a quote inside doubled. Terms hold only letters and digits; this is the belt. */
const quoted = (term: string) => `"${term.replace(/"/g, '""')}"`;

/**
 * The token that stands for a chat in the index's `chat` column: one word made of the id's letters and digits.
 * Two ids could share one (`a-b`, `ab`); the query also compares chat_id itself, so the token only narrows.
 */
export function chatToken(chatId: string): string {
  return `c${chatId.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** Every term in the message's text (AND), and, for one chat, its token in the chat column. Null: no terms. */
export function ftsMatch(terms: string[], chatId: string | null): string | null {
  if (terms.length === 0) return null;
  const words = `text : (${terms.map(quoted).join(' AND ')})`;
  return chatId === null ? words : `chat : ${quoted(chatToken(chatId))} AND ${words}`;
}
