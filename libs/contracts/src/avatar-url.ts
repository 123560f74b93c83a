/**
 * What an avatar may point at: an http(s) URL (Cloudinary, or any image host) or an image this server serves
 * under /media/. Anything else (javascript:, data:, relative paths elsewhere) is refused.
 */
export const AVATAR_URL_PATTERN = /^(https?:\/\/[^\s"'<>]+|\/media\/[A-Za-z0-9._-]+)$/;
export const AVATAR_URL_MESSAGE = 'avatarUrl must be an http(s) URL or a /media/ path';
