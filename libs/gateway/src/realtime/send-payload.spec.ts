import { ArgumentMetadata } from '@nestjs/common';
import { MAX_TEXT_LENGTH } from '@chat/contracts';
import { createValidationPipe } from '@chat/platform';
import { plainlyValidSend, validSendPayload } from './send-payload';
import { SendMessageDto } from './socket-payloads.dto';

const pipe = createValidationPipe();
const AS_DTO: ArgumentMetadata = { type: 'body', metatype: SendMessageDto };
const byPipe = (value: unknown) => pipe.transform(value, AS_DTO).then((dto) => ({ ok: true as const, dto }), (error) => ({ ok: false as const, error }));

const base = { clientMessageId: 'c-1', chatId: 'chat_1' };
const PAYLOADS: unknown[] = [
  base,
  { ...base, text: 'hello' },
  { ...base, text: null, imageKey: null, fileKey: null, replyToId: null },
  { ...base, text: 'x'.repeat(MAX_TEXT_LENGTH) },
  { ...base, text: 'x'.repeat(MAX_TEXT_LENGTH + 1) },
  { ...base, text: '👋'.repeat(MAX_TEXT_LENGTH / 2 + 1) }, // longer than the limit in UTF-16, within it for the pipe
  { ...base, text: 'a\ud800b' },
  { ...base, text: 5 },
  { ...base, imageKey: 'k'.repeat(256), replyToId: 'm-1' },
  { ...base, imageKey: 'k'.repeat(257) },
  { ...base, fileKey: 'f\udc00' },
  { ...base, replyToId: 'not/an/id' },
  { ...base, senderId: 'someone' },
  { ...base, ['__proto__']: { text: 'x' } },
  JSON.parse('{"clientMessageId":"c-1","chatId":"chat_1","__proto__":{"senderId":"x"}}'),
  { clientMessageId: '', chatId: 'chat_1' },
  { clientMessageId: 'c'.repeat(65), chatId: 'chat_1' },
  { clientMessageId: 'c 1', chatId: 'chat_1' },
  { clientMessageId: 'c-1', chatId: 'c'.repeat(65) },
  { clientMessageId: 'c-1' },
  { chatId: 'chat_1' },
  {},
  [],
  [base],
  'text',
  null,
  undefined,
  42,
  Object.assign(Object.create({ inherited: true }), base),
];

describe('plainlyValidSend', () => {
  it.each(PAYLOADS.map((payload, i) => [i, payload]))('agrees with the validation pipe wherever it answers (payload %i)', async (_i, payload) => {
    const pipeAnswer = await byPipe(payload);
    if (plainlyValidSend(payload)) {
      expect(pipeAnswer.ok).toBe(true);
      expect(pipeAnswer.ok && { ...pipeAnswer.dto }).toEqual({ ...(payload as object) });
    }
  });

  it('reads ordinary payloads directly', () => {
    expect(plainlyValidSend({ ...base, text: 'hello 👋' })).toBe(false); // a surrogate pair: the pipe decides
    expect(plainlyValidSend({ ...base, text: 'hello' })).toBe(true);
    expect(plainlyValidSend({ ...base, text: 'x'.repeat(MAX_TEXT_LENGTH), imageKey: null, replyToId: 'm-1' })).toBe(true);
  });
});

describe('validSendPayload', () => {
  it('gives what the pipe gives: the payload, or the pipe\'s own error', async () => {
    for (const payload of PAYLOADS) {
      const pipeAnswer = await byPipe(payload);
      const ours = await validSendPayload(payload, pipe).then((dto) => ({ ok: true as const, dto }), (error) => ({ ok: false as const, error }));
      expect(ours.ok).toBe(pipeAnswer.ok);
      if (ours.ok && pipeAnswer.ok) expect({ ...ours.dto }).toEqual({ ...pipeAnswer.dto });
      if (!ours.ok && !pipeAnswer.ok) expect(ours.error.toPayload()).toEqual(pipeAnswer.error.toPayload());
    }
  });
});
