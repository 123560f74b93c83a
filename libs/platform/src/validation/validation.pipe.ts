import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts/errors';
import { DomainError } from '../errors/domain-error';
import { inputShapeProblem } from './input-shape';

function describe(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...describe(error.children ?? [], field)];
  });
}

/** Refuses input no validator should be handed (too deep, not valid Unicode) before the validators run. */
class ShapeCheckingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Custom decorators hand over server-made objects (the socket, the user), not input.
    const problem = metadata.type === 'custom' ? null : inputShapeProblem(value);
    if (problem) throw new DomainError(ErrorCodes.VALIDATION_FAILED, problem, [{ field: metadata.data ?? metadata.type, problems: [problem] }]);
    return super.transform(value, metadata);
  }
}

/**
 * Validation for every transport, with one error: VALIDATION.FAILED and the fields at fault. Unknown fields
 * are refused, so a client cannot slip in a `senderId` or any other field the server sets itself.
 */
export function createValidationPipe(): ValidationPipe {
  return new ShapeCheckingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = describe(errors);
      const summary = details.map((d) => d.problems.join(', ')).join('; ');
      return new DomainError(ErrorCodes.VALIDATION_FAILED, summary || 'Invalid input', details);
    },
  });
}
