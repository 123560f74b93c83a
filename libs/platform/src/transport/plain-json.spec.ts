import { assertPlainJson } from './plain-json';

describe('assertPlainJson', () => {
  it('accepts what JSON carries unchanged', () => {
    expect(() => assertPlainJson({ a: 1, b: 'x', c: [true, null, { d: -0.5 }], e: undefined }, 'test')).not.toThrow();
  });

  it.each([
    ['a Date', { at: new Date() }, '$.at is a Date'],
    ['NaN', { n: Number.NaN }, '$.n is NaN'],
    ['a Map nested in an array', { list: [new Map()] }, '$.list[0] is a Map'],
    ['a function', { f: () => 1 }, '$.f is a function'],
    ['undefined inside an array', [1, undefined], '$[1] is a undefined'],
  ])('refuses %s, naming where it is', (_name, value, message) => {
    expect(() => assertPlainJson(value, 'chats.get request')).toThrow(message);
  });
});
