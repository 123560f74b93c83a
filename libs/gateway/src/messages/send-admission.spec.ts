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
  return { admission, advance, fill, finish };
}

describe('SendAdmission', () => {
  it('always takes the floor, even before anything has finished', () => {
    const { admission, fill } = admissionAt(3, 100);
    expect(fill()).toBe(3);
    expect(admission.inFlight).toBe(3);
    expect(admission.hasRoom()).toBe(false);
  });

  it('takes beyond the floor what it finishes in the queue time at the rate of the last second', () => {
    const { admission, advance, fill } = admissionAt(10, 100);
    // 2,000 sends finished over one second, 20 every 10 ms: 200 of them fit in 100 ms.
    for (let ms = 0; ms < 1000; ms += 10) {
      for (let i = 0; i < 20; i++) admission.enter(), admission.leave();
      advance(10);
    }
    expect(admission.finishedPerSecond()).toBe(2000);
    expect(fill()).toBe(200);
    expect(admission.hasRoom()).toBe(false);
  });

  it('takes fewer as the rate falls: a stall empties the window within two seconds', () => {
    const { admission, advance, fill, finish } = admissionAt(5, 100);
    fill();
    finish(5);
    for (let i = 0; i < 1000; i++) admission.enter(), admission.leave();
    expect(admission.finishedPerSecond()).toBe(1005);
    // Half a second later the second before counts half: about 500 a second, 50 in 100 ms.
    advance(1500);
    expect(admission.finishedPerSecond()).toBeCloseTo(502.5, 0);
    expect(fill()).toBe(51);
    // Nothing finished for two more seconds: back to the floor alone.
    advance(2000);
    expect(admission.finishedPerSecond()).toBe(0);
    expect(admission.hasRoom()).toBe(false);
    finish(47);
    expect(admission.inFlight).toBe(4);
    expect(admission.hasRoom()).toBe(true);
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
