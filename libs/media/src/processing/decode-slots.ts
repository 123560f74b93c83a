/**
 * At most `size` images decoded at once. A 50-megapixel image takes about 200 MB while libvips works on it, so
 * a burst of uploads waits here instead of exhausting memory. The cheap checks run before a slot is taken.
 */
export class DecodeSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
