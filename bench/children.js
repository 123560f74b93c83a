/**
 * The processes a bench starts (servers, load generators), killed when the bench exits however it exits: an error,
 * Ctrl-C, or a `kill` of the bench alone. Otherwise a stopped bench leaves its servers running, and they load the
 * machine under the next measurement.
 */
const live = new Set();

/** Tracks a child process until it exits; returns it. */
function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
// Without handlers these signals end the process without running 'exit' handlers.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.once(signal, () => process.exit(code));

module.exports = { track };
