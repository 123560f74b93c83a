import { DomainError } from './domain-error';

describe('DomainError', () => {
  it('crosses a boundary as its payload and comes back the same', () => {
    const error = new DomainError('CHAT.NOT_FOUND', 'Chat not found');
    expect(error.toPayload()).toEqual({ code: 'CHAT.NOT_FOUND', message: 'Chat not found' });
    const withDetails = new DomainError('VALIDATION.FAILED', 'text is too long', [{ field: 'text', problems: ['too long'] }]);
    const back = DomainError.fromPayload(JSON.parse(JSON.stringify(withDetails.toPayload())));
    expect(back).toBeInstanceOf(DomainError);
    expect(back.toPayload()).toEqual(withDetails.toPayload());
  });

  it('captures no stack frames, and leaves the stack trace limit as it found it', () => {
    const limit = Error.stackTraceLimit;
    const error = new DomainError('COMMON.OVERLOADED', 'busy');
    expect(error.stack).not.toContain('    at ');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('plain').stack).toContain('    at ');
  });
});
