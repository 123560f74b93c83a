import { Controller, Injectable, CanActivate, UseGuards } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { IsString } from 'class-validator';
import { ValidatedAtEdge } from '../../validation/validated-at-edge';
import { RoleEventPattern, RoleMessagePattern } from '../role-handlers';
import { directHandlersOf } from './direct-handlers';

interface Happened {
  what: string;
}

@ValidatedAtEdge()
class CheckedAtEdgeDto {
  @IsString() name!: string;
}

class CheckedAtDoorDto {
  @IsString() cursor!: string;
}

@Injectable()
class AllowAll implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Controller()
class ProbeController {
  readonly seen: unknown[] = [];

  @RoleEventPattern('mail', 'direct.happened')
  happened(@Payload() event: Happened) {
    this.seen.push(event);
  }

  @RoleMessagePattern('mail', 'direct.greet')
  greet(@Payload() p: CheckedAtEdgeDto) {
    return `hello ${p.name}`;
  }

  @RoleMessagePattern('mail', 'direct.page')
  page(@Payload() p: CheckedAtDoorDto) {
    return p.cursor;
  }

  @RoleMessagePattern('mail', 'direct.guarded')
  @UseGuards(AllowAll)
  guarded(@Payload() p: Happened) {
    return p.what;
  }

  @RoleEventPattern('mail', 'direct.shared')
  sharedHere(@Payload() event: Happened) {
    this.seen.push(event);
  }
}

@Controller()
class OtherSubscriberController {
  @RoleEventPattern('mail', 'direct.shared')
  sharedThere(@Payload() event: Happened) {
    return event;
  }
}

/** Declared, but not part of the app: its handlers are nobody's. */
@Controller()
class NotInTheAppController {
  @RoleEventPattern('mail', 'direct.elsewhere')
  elsewhere(@Payload() event: Happened) {
    return event;
  }
}

describe('directHandlersOf', () => {
  const probe = new ProbeController();
  const instances = new Map<unknown, object>([
    [ProbeController, probe],
    [OtherSubscriberController, new OtherSubscriberController()],
  ]);
  const direct = directHandlersOf('mail', (controller) => instances.get(controller));

  it('calls as functions the handlers for which Nest\'s pipeline would do nothing: events, and DTOs the edge validated', async () => {
    expect([...direct.keys()].sort()).toEqual(['direct.greet', 'direct.happened']);
    await direct.get('direct.happened')!({ what: 'it' });
    expect(probe.seen).toEqual([{ what: 'it' }]);
    expect(await direct.get('direct.greet')!({ name: 'Ada' })).toBe('hello Ada');
  });

  it('leaves to Nest a DTO validated at the door, a handler with enhancers of its own, an event with two subscribers in the role', () => {
    expect(direct.has('direct.page')).toBe(false);
    expect(direct.has('direct.guarded')).toBe(false);
    expect(direct.has('direct.shared')).toBe(false);
  });

  it('takes only the handlers of the role, of controllers the app has', () => {
    expect(direct.has('direct.elsewhere')).toBe(false);
    expect(NotInTheAppController).toBeDefined();
    expect(directHandlersOf('users', (controller) => instances.get(controller)).size).toBe(0);
  });
});
