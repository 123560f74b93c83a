import { inputShapeProblem, jsonNestingExceeds, MAX_INPUT_DEPTH } from './input-shape';

const nested = (levels: number) => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe('inputShapeProblem', () => {
  it('accepts ordinary input, up to the depth limit', () => {
    expect(inputShapeProblem({ email: 'ada@example.com', tags: ['a', { b: [1, null, true] }], text: 'héllo 👋' })).toBeNull();
    expect(inputShapeProblem(nested(MAX_INPUT_DEPTH))).toBeNull();
    expect(inputShapeProblem(undefined)).toBeNull();
  });

  it('refuses deeper input without running out of stack', () => {
    expect(inputShapeProblem(nested(MAX_INPUT_DEPTH + 1))).toMatch(/nested more than 32/);
    expect(inputShapeProblem({ a: nested(100_000) })).toMatch(/nested/);
  });

  it('refuses lone surrogates in values and keys, but not pairs', () => {
    expect(inputShapeProblem({ email: 'ada\ud800@example.com' })).toMatch(/Unicode/);
    expect(inputShapeProblem({ list: ['ok', '\udfff'] })).toMatch(/Unicode/);
    expect(inputShapeProblem({ ['\ud83d']: 1 })).toMatch(/Unicode/);
    expect(inputShapeProblem('\ud83d\udc4b')).toBeNull();
  });
});

describe('jsonNestingExceeds', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonNestingExceeds(Buffer.from('['.repeat(33) + ']'.repeat(33)))).toBe(true);
    expect(jsonNestingExceeds(Buffer.from('['.repeat(32) + ']'.repeat(32)))).toBe(false);
    expect(jsonNestingExceeds(Buffer.from(JSON.stringify({ text: '['.repeat(1000) + '\\"[[' })))).toBe(false);
    expect(jsonNestingExceeds(Buffer.from('{"a":{"b":[{"c":[]}]}}'), 5)).toBe(false);
    expect(jsonNestingExceeds(Buffer.from('{"a":{"b":[{"c":[]}]}}'), 4)).toBe(true);
  });
});
