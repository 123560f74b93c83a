import { Param, PipeTransform } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts';
import { DomainError } from '@chat/platform';

/** Ids are opaque strings made by the server; the edge only keeps junk and huge values out (socket and REST alike). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

class IdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      throw new DomainError(ErrorCodes.VALIDATION_FAILED, `${this.name} is not a valid id`, [{ field: this.name, problems: ['must be a valid id'] }]);
    }
    return value;
  }
}

/**
 * A path parameter that is an id, checked at the edge as the socket's ids are, so a module DTO built from it may
 * be marked @ValidatedAtEdge() (no second validation inside one process).
 */
export const IdParam = (name: string): ParameterDecorator => Param(name, new IdPipe(name));
