import { MAX_PINS_PER_CHAT } from '@chat/contracts';
import { mayPin, roomForPin } from './pins';

describe('pins', () => {
  it('lets either member of a 1:1 chat pin, and only admins in a group', () => {
    expect(mayPin('direct', 'member')).toBe(true);
    expect(mayPin('direct', null)).toBe(true);
    expect(mayPin('group', 'admin')).toBe(true);
    expect(mayPin('group', 'member')).toBe(false);
    expect(mayPin('group', null)).toBe(false);
    expect(mayPin('group', undefined)).toBe(false);
  });

  it('holds at most MAX_PINS_PER_CHAT pins', () => {
    expect(roomForPin(0)).toBe(true);
    expect(roomForPin(MAX_PINS_PER_CHAT - 1)).toBe(true);
    expect(roomForPin(MAX_PINS_PER_CHAT)).toBe(false);
  });
});
