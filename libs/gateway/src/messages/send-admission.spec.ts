import { SendAdmission } from './send-admission';

/** An admission on a clock the test moves by hand. */
function admissionAt(floor: number, queueMs: number) {
  let now = 0;
  const admission = new SendAdmission(floor, queueMs, () => now);
  const advance = (ms: number) => (now += ms);
  /** Takes sends while there is room; returns how many it took. */
  const fill = () => {
    let taken = 0;
    while (admission.hasRoom()) admission.enter(), taken++;
    return taken;
  };
  const finish = (n: number) => {
    for (let i = 0; i < n; i++) admission.leave();
  };
  /** `perSecond` sends finished over one second, each in flight for 10 ms. */
  const busySecond = (perSecond: number) => {
    for (let ms = 0; ms < 1000; ms += 10) {
      for (let i = 0; i < perSecond / 100; i++) admission.enter();
      advance(10);
      finish(perSecond / 100);
    }
  };
  return { admission, advance, fill, finish, busySecond };
}

describe('SendAdmission', () => {
  it('always takes the floor, even before anything has finished', () => {
    const { admission, fill } = admissionAt(3, 100);
    expect(fill()).toBe(3);
    expect(admission.inFlight).toBe(3);
    expect(admission.hasRoom()).toBe(false);
  });

  it('takes beyond the floor what it finishes in the queue time at the rate of the last second', () => {
    const { admission, fill, busySecond } = admissionAt(10, 100);
    // 2,000 sends finished over one second, 20 every 10 ms: 200 of them fit in 100 ms.
    busySecond(2000);
    expect(admission.finishedPerSecond()).toBe(2000);
    expect(fill()).toBe(200);
    expect(admission.hasRoom()).toBe(false);
  });

  it('takes fewer as the rate falls: a stall (sends in flight, none finishing) empties the window within two seconds', () => {
    const { admission, advance, fill, finish, busySecond } = admissionAt(5, 100);
    busySecond(1000);
    expect(admission.finishedPerSecond()).toBe(1000);
    for (let i = 0; i < 5; i++) admission.enter();
    // Half a second later (five in flight, none finishing), the second before counts half. (The last 10 finished as
    // it ended, so they count in full: 990 / 2 + 10.) 505 a second: 50 in 100 ms.
    advance(500);
    expect(admission.finishedPerSecond()).toBe(505);
    expect(fill()).toBe(46);
    // Nothing finished for two more seconds: back to the floor alone.
    advance(2000);
    expect(admission.finishedPerSecond()).toBe(0);
    expect(admission.hasRoom()).toBe(false);
    finish(47);
    expect(admission.inFlight).toBe(4);
    expect(admission.hasRoom()).toBe(true);
  });

  it('keeps the rate of its last busy second through idle time: a burst after a quiet spell is not held to the floor', () => {
    const { admission, advance, fill, finish, busySecond } = admissionAt(10, 100);
    // 2,000 sends a second for a second, then nothing in flight for a minute.
    busySecond(2000);
    advance(60_000);
    expect(admission.finishedPerSecond()).toBe(2000);
    expect(fill()).toBe(200);
    // Busy again: the clock runs while they wait, and what finishes counts.
    advance(500);
    finish(100);
    expect(admission.finishedPerSecond()).toBe(1980 / 2 + 20 + 100); // the last 20 of the busy second finished as it ended
    expect(admission.inFlight).toBe(100);
  });

  it('with a queue time of 0, the floor alone decides', () => {
    const { admission, fill, finish } = admissionAt(2, 0);
    fill();
    finish(1);
    for (let i = 0; i < 5000; i++) admission.enter(), admission.leave();
    expect(admission.finishedPerSecond()).toBe(5001);
    expect(fill()).toBe(1);
    expect(admission.inFlight).toBe(2);
  });
});
