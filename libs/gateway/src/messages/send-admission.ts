import { performance } from 'node:perf_hooks';

const SECOND_MS = 1000;

/**
 * How many sends one gateway takes in flight: always `floor` (MAX_PENDING_SENDS), and beyond that as many as it
 * would finish within `queueMs` (SEND_QUEUE_MS) at the rate it has been finishing sends over its last busy second.
 *
 * Why a bound in time and not only a count: what a sender waits for is the time the sends ahead of theirs take, and
 * a count means a different time on every machine and at every rate. 256 sends in flight are 80 ms of work at 3,200
 * msg/s and 500 ms at 500 msg/s; at 4,000 msg/s the count alone turned sends away while the sends it took were still
 * delivered within 100 ms (docs/realtime.md, "Session 16"). The rate is what the gateway has measured, so a gateway
 * that slows down (a stall, a slower machine) takes fewer sends, and one that keeps up takes more.
 *
 * The rate is a sliding one-second window of busy time, the time with at least one send in flight: the count of the
 * busy second before, weighted by the part of it the window still covers, plus the count of this busy second so far.
 * Idle time does not count, so the rate is what the gateway finishes while it has work, not what it was asked for:
 * after an idle spell the first burst is admitted at the rate of the last busy second instead of at the floor alone.
 * (On the wall clock, a burst after a quiet minute found a rate near zero and turned sends away at the floor while
 * the ones it took were delivered within 50–85 ms: three of the ramp steps of session 16 and two of session 17
 * failed on that alone.) A stall still empties the window: sends in flight that do not finish keep the clock going.
 * No timer: the windows roll when the gateway next looks.
 */
export class SendAdmission {
  private pending = 0;
  /** Busy time (ms) before the current busy spell. */
  private busyBefore = 0;
  /** When the current busy spell began (the clock's time); null while nothing is in flight. */
  private busySince: number | null = null;
  /** Start of this window, in busy time. */
  private windowStart = 0;
  private finishedThisWindow = 0;
  private finishedLastWindow = 0;

  constructor(
    private readonly floor: number,
    private readonly queueMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get inFlight(): number {
    return this.pending;
  }

  /** Whether one more send may start now. Under the floor it may without reading the clock. */
  hasRoom(): boolean {
    if (this.pending < this.floor) return true;
    return this.pending < (this.finishedPerSecond() * this.queueMs) / SECOND_MS;
  }

  enter(): void {
    if (this.pending++ === 0) this.busySince = this.now();
  }

  /** A send has finished (stored or refused by Messages alike: either way it has left the queue). */
  leave(): void {
    this.roll();
    this.finishedThisWindow++;
    if (--this.pending === 0) {
      this.busyBefore = this.busyTime();
      this.busySince = null;
    }
  }

  /** Sends finished over the last second of busy time (sliding). */
  finishedPerSecond(): number {
    this.roll();
    const covered = 1 - (this.busyTime() - this.windowStart) / SECOND_MS;
    return this.finishedLastWindow * covered + this.finishedThisWindow;
  }

  private busyTime(): number {
    return this.busySince === null ? this.busyBefore : this.busyBefore + (this.now() - this.busySince);
  }

  private roll(): void {
    const passed = this.busyTime() - this.windowStart;
    if (passed < SECOND_MS) return;
    // One window on: this window's count becomes the last one's. Two or more: nothing finished in the last one.
    this.finishedLastWindow = passed < 2 * SECOND_MS ? this.finishedThisWindow : 0;
    this.finishedThisWindow = 0;
    this.windowStart += Math.floor(passed / SECOND_MS) * SECOND_MS;
  }
}
