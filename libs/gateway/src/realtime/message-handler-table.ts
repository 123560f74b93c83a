import type { MessageMappingProperties } from '@nestjs/websockets';

/** What the table reads of each handler Nest hands over (the callback stays with the socket). */
type HandlerShape = Pick<MessageMappingProperties, 'message'> & { isAckHandledManually?: boolean };

export interface HandlerSlot {
  /** Where the event's callback sits in the socket's list. */
  index: number;
  isAckHandledManually: boolean;
}

/**
 * Event name → slot in the handler list Nest gives the adapter for each socket. Nest builds that list per socket
 * (each callback bound to its socket) but always from the same gateway metadata, in the same order, so the
 * lookup is shared and a socket keeps only its bound callbacks: no Map and handler objects per idle socket.
 */
export class MessageHandlerTable {
  private static readonly byShape = new Map<string, MessageHandlerTable>();
  private readonly slots: Map<string, HandlerSlot>;

  private constructor(handlers: readonly HandlerShape[]) {
    this.slots = new Map(handlers.map((handler, index) => [handler.message as string, { index, isAckHandledManually: !!handler.isAckHandledManually }]));
  }

  /** The table for this list's shape (its events in order), built the first time that shape is seen. */
  static for(handlers: readonly HandlerShape[]): MessageHandlerTable {
    const shape = JSON.stringify(handlers.map((handler) => [handler.message, !!handler.isAckHandledManually]));
    let table = MessageHandlerTable.byShape.get(shape);
    if (!table) MessageHandlerTable.byShape.set(shape, (table = new MessageHandlerTable(handlers)));
    return table;
  }

  slotOf(event: string): HandlerSlot | undefined {
    return this.slots.get(event);
  }
}
