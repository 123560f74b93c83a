import { MessageHandlerTable } from './message-handler-table';

const handlersFor = (socket: string) => [
  { message: 'message:send', callback: async () => `${socket} send` },
  { message: 'typing:start', callback: async () => `${socket} typing`, isAckHandledManually: true },
];

describe('MessageHandlerTable', () => {
  it('finds each event at its place in the list, and knows which acks the handler sends itself', () => {
    const table = MessageHandlerTable.for(handlersFor('a'));
    expect(table.slotOf('message:send')).toEqual({ index: 0, isAckHandledManually: false });
    expect(table.slotOf('typing:start')).toEqual({ index: 1, isAckHandledManually: true });
    expect(table.slotOf('nope')).toBeUndefined();
  });

  it('is built once for every socket of the same gateway, and separately for another list', () => {
    expect(MessageHandlerTable.for(handlersFor('a'))).toBe(MessageHandlerTable.for(handlersFor('b')));
    const reordered = [...handlersFor('c')].reverse();
    const other = MessageHandlerTable.for(reordered);
    expect(other).not.toBe(MessageHandlerTable.for(handlersFor('a')));
    expect(other.slotOf('message:send')?.index).toBe(1);
  });
});
