import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { MAX_TEXT_LENGTH } from '@chat/contracts';
import { ID_PATTERN } from '../http/id-param';
import { SendMessageDto } from './socket-payloads.dto';

const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Any UTF-16 surrogate: text with one is left to the pipe, which tells a pair (fine) from a lone one (refused). */
const SURROGATE = /[\ud800-\udfff]/;
const FIELDS = new Set<string>(['clientMessageId', 'chatId', 'text', 'imageKey', 'fileKey', 'replyToId']);
const AS_SEND_DTO: ArgumentMetadata = { type: 'body', metatype: SendMessageDto };

const absent = (value: unknown): boolean => value === undefined || value === null;
/** A string the pipe's `@MaxLength(max)` takes: it counts a pair as one character, so UTF-16 length bounds it from above. */
const shortText = (value: unknown, max: number): boolean => typeof value === 'string' && value.length <= max && !SURROGATE.test(value);

/**
 * Whether the validation pipe would take `value` as a SendMessageDto as it is (the same rules, read directly): true
 * only where the answer is certain. Anything else (a refusal, or text with surrogates, which the pipe counts in
 * its own way) goes through the pipe itself, so the answer and the error are always the pipe's.
 */
export function plainlyValidSend(value: unknown): value is SendMessageDto {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (!FIELDS.has(key)) return false;
  const body = value as Record<string, unknown>;
  return (
    typeof body.clientMessageId === 'string' && CLIENT_MESSAGE_ID.test(body.clientMessageId) &&
    typeof body.chatId === 'string' && ID_PATTERN.test(body.chatId) &&
    (absent(body.text) || shortText(body.text, MAX_TEXT_LENGTH)) &&
    (absent(body.imageKey) || shortText(body.imageKey, 256)) &&
    (absent(body.fileKey) || shortText(body.fileKey, 256)) &&
    (absent(body.replyToId) || (typeof body.replyToId === 'string' && ID_PATTERN.test(body.replyToId)))
  );
}

/**
 * A socket send's payload, validated once: an ordinary payload is read directly (class-transformer and
 * class-validator cost a tenth of a send's CPU), everything else by the validation pipe, with its errors.
 */
export async function validSendPayload(value: unknown, pipe: PipeTransform): Promise<SendMessageDto> {
  if (plainlyValidSend(value)) return value;
  return (await pipe.transform(value, AS_SEND_DTO)) as SendMessageDto;
}
