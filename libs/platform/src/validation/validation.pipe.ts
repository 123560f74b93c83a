import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { validateSync, ValidatorOptions } from 'class-validator';
import { ErrorCodes } from '@chat/contracts/errors';
import { DomainError } from '../errors/domain-error';
import { inputShapeProblem } from './input-shape';
import { isValidatedAtEdge } from './validated-at-edge';

function describe(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...describe(error.children ?? [], field)];
  });
}

/** Refuses input no validator should be handed (too deep, not valid Unicode) before the validators run. */
class ShapeCheckingValidationPipe extends ValidationPipe {
  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly trustEdge: boolean,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (this.trustEdge && isValidatedAtEdge(metadata.metatype)) return value;
    // Custom decorators hand over server-made objects (the socket, the user), not input.
    const problem = metadata.type === 'custom' ? null : inputShapeProblem(value);
    if (problem) throw new DomainError(ErrorCodes.VALIDATION_FAILED, problem, [{ field: metadata.data ?? metadata.type, problems: [problem] }]);
    return super.transform(value, metadata);
  }

  /**
   * Every rule of ours is synchronous, so the synchronous validator gives the same answer without a promise per
   * property (class-validator's async path costs about a third of a send's validation). An async rule would be
   * ignored by validateSync, so none may be added (validation.pipe.spec checks the DTOs' rules).
   */
  protected override validate(object: object, validatorOptions?: ValidatorOptions): ValidationError[] {
    return validateSync(object, validatorOptions);
  }
}

export interface ValidationPipeOptions {
  /**
   * Take DTOs marked @ValidatedAtEdge() as they are: only where every caller is in this process (the in-process
   * transport), never where a payload may have crossed a network.
   */
  trustEdgeValidated?: boolean;
}

/**
 * Validation for every transport, with one error: VALIDATION.FAILED and the fields at fault. Unknown fields
 * are refused, so a client cannot slip in a `senderId` or any other field the server sets itself.
 */
export function createValidationPipe({ trustEdgeValidated = false }: ValidationPipeOptions = {}): ValidationPipe {
  return new ShapeCheckingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = describe(errors);
      const summary = details.map((d) => d.problems.join(', ')).join('; ');
      return new DomainError(ErrorCodes.VALIDATION_FAILED, summary || 'Invalid input', details);
    },
  }, trustEdgeValidated);
}
