import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MessagesPatterns } from '@chat/contracts';
import { RoleMessagePattern } from '@chat/platform';
import { MessagesService } from '../messages.service';
import {
  ChangesQueryDto, EditMessageDto, ForwardMessageDto, HistoryQueryDto, MessageRefDto, MovePointerDto, PinRefDto, PinsQueryDto, ReactToMessageDto, ReadStatesQueryDto,
  SearchMessagesQueryDto, SendMessageDto,
} from './messages.rpc.dto';

@Controller()
export class MessagesRpcController {
  constructor(private readonly messages: MessagesService) {}

  @RoleMessagePattern('messages', MessagesPatterns.send)
  send(@Payload() p: SendMessageDto) {
    return this.messages.send(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.edit)
  edit(@Payload() p: EditMessageDto) {
    return this.messages.edit(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.deleteForEveryone)
  deleteForEveryone(@Payload() p: MessageRefDto) {
    return this.messages.deleteForEveryone(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.deleteForMe)
  async deleteForMe(@Payload() p: MessageRefDto) {
    await this.messages.deleteForMe(p);
    return null;
  }

  @RoleMessagePattern('messages', MessagesPatterns.history)
  history(@Payload() p: HistoryQueryDto) {
    return this.messages.history(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.changes)
  changes(@Payload() p: ChangesQueryDto) {
    return this.messages.changes(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.get)
  get(@Payload() p: MessageRefDto) {
    return this.messages.get(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.markRead)
  markRead(@Payload() p: MovePointerDto) {
    return this.messages.markRead(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.markDelivered)
  markDelivered(@Payload() p: MovePointerDto) {
    return this.messages.markDelivered(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.readStates)
  readStates(@Payload() p: ReadStatesQueryDto) {
    return this.messages.readStates(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.react)
  react(@Payload() p: ReactToMessageDto) {
    return this.messages.react(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.forward)
  forward(@Payload() p: ForwardMessageDto) {
    return this.messages.forward(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.pin)
  pin(@Payload() p: PinRefDto) {
    return this.messages.pin(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.unpin)
  async unpin(@Payload() p: PinRefDto) {
    await this.messages.unpin(p);
    return null;
  }

  @RoleMessagePattern('messages', MessagesPatterns.pins)
  pins(@Payload() p: PinsQueryDto) {
    return this.messages.pins(p);
  }

  @RoleMessagePattern('messages', MessagesPatterns.search)
  search(@Payload() p: SearchMessagesQueryDto) {
    return this.messages.search(p);
  }
}
