import { ArgumentMetadata } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { ErrorCodes } from '@chat/contracts/errors';
import { ValidatedAtEdge } from './validated-at-edge';
import { createValidationPipe } from './validation.pipe';

@ValidatedAtEdge()
class EdgeCheckedDto {
  @IsString() @Length(1, 4) chatId!: string;
}

class DoorCheckedDto {
  @IsString() @Length(1, 4) chatId!: string;
}

/** A subclass does not inherit the mark: its extra rules are not known to be checked at the edge. */
class WiderDto extends EdgeCheckedDto {
  @IsString() extra!: string;
}

const payload = (metatype: new () => object): ArgumentMetadata => ({ type: 'body', metatype });
const tooLong = { chatId: 'far too long' };

describe('ValidatedAtEdge', () => {
  it('in one process, takes a marked DTO as it is and still validates every other DTO', async () => {
    const pipe = createValidationPipe({ trustEdgeValidated: true });
    await expect(pipe.transform(tooLong, payload(EdgeCheckedDto))).resolves.toBe(tooLong);
    await expect(pipe.transform(tooLong, payload(DoorCheckedDto))).rejects.toMatchObject({ code: ErrorCodes.VALIDATION_FAILED });
    await expect(pipe.transform({ chatId: 'ok', extra: 1 }, payload(WiderDto))).rejects.toMatchObject({ code: ErrorCodes.VALIDATION_FAILED });
  });

  it('where payloads may have crossed a network, validates marked DTOs too', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform(tooLong, payload(EdgeCheckedDto))).rejects.toMatchObject({ code: ErrorCodes.VALIDATION_FAILED });
    await expect(pipe.transform({ chatId: 'ok' }, payload(EdgeCheckedDto))).resolves.toBeInstanceOf(EdgeCheckedDto);
  });
});
