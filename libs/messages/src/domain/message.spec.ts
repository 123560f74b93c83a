import { newMessageId } from './message';

describe('newMessageId', () => {
  it('gives unique UUIDs that sort in the order they were made, also within one millisecond (the id index grows at its end)', () => {
    const ids = Array.from({ length: 5_000 }, () => newMessageId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 10)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
