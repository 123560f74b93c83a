import { splitSocketArgs } from './socket-args';

describe('splitSocketArgs', () => {
  const ack = () => undefined;

  it('gives the lone payload itself when the client sends no ack', () => {
    expect(splitSocketArgs([{ chatId: 'c1' }])).toEqual({ data: { chatId: 'c1' }, ack: undefined });
  });

  it('separates the ack callback from the payload', () => {
    expect(splitSocketArgs([{ chatId: 'c1' }, ack])).toEqual({ data: { chatId: 'c1' }, ack });
  });

  it('handles an event with no payload, with or without an ack', () => {
    expect(splitSocketArgs([])).toEqual({ data: undefined, ack: undefined });
    expect(splitSocketArgs([ack])).toEqual({ data: undefined, ack });
  });

  it('keeps several payload arguments together', () => {
    expect(splitSocketArgs([1, 2, ack])).toEqual({ data: [1, 2], ack });
  });
});
