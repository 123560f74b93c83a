import { DecodeSlots } from './decode-slots';

describe('DecodeSlots', () => {
  it('runs at most `size` jobs at once and every job in the end, failures included', async () => {
    const slots = new DecodeSlots(2);
    let running = 0;
    let peak = 0;
    const job = (fail: boolean) =>
      slots.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (fail) throw new Error('decode failed');
        return 'ok';
      });
    const results = await Promise.allSettled([job(false), job(true), job(false), job(true), job(false)]);
    expect(peak).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await job(false)).toBe('ok');
  });
});
