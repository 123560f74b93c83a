import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage, IsInt, IsString, Length, Min } from 'class-validator';
import { ErrorCodes } from '@chat/contracts/errors';
import { createValidationPipe } from './validation.pipe';

const libs = join(__dirname, '..', '..', '..');

/** Every DTO file of every module: the rules the pipe is handed in production. */
function dtoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : dtoFiles(path);
    return /\.dto\.ts$/.test(entry.name) ? [path] : [];
  });
}

class NoteDto {
  @IsString() @Length(1, 5) text!: string;
  @IsInt() @Min(1) seq!: number;
}

const body = (metatype: new () => object): ArgumentMetadata => ({ type: 'body', metatype });

describe('createValidationPipe (synchronous validation)', () => {
  it('validates without class-validator\'s async path, so no DTO may carry an async rule', () => {
    const files = dtoFiles(libs);
    expect(files.length).toBeGreaterThan(5);
    files.forEach((file) => require(file));
    const storage = getMetadataStorage() as unknown as { constraintMetadatas: Map<unknown, { async: boolean; name?: string }[]> };
    const asyncRules = [...storage.constraintMetadatas.values()].flat().filter((rule) => rule.async).map((rule) => rule.name);
    expect(asyncRules).toEqual([]);
  });

  it('still refuses what breaks a rule, names the fields, and converts what passes', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform({ text: 'far too long', seq: 0 }, body(NoteDto))).rejects.toMatchObject({
      code: ErrorCodes.VALIDATION_FAILED,
      details: [expect.objectContaining({ field: 'text' }), expect.objectContaining({ field: 'seq' })],
    });
    await expect(pipe.transform({ text: 'hi', seq: 2 }, body(NoteDto))).resolves.toBeInstanceOf(NoteDto);
  });
});
