/**
 * CPU time and RSS from Linux's /proc, for the benchmarks: CPU per unit of work is steadier than latency on a busy
 * machine.
 */
const { readFileSync } = require('node:fs');

const TICKS_PER_SECOND = 100; // Linux USER_HZ for /proc/.../stat

/** utime + stime of a /proc stat file, in ms. */
function statCpuMs(path) {
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** A whole process (every thread), in ms. */
const processCpuMs = (pid) => statCpuMs(`/proc/${pid}/stat`);

/** This process's main thread alone (its thread id is the process id), in ms: worker threads left out. */
const mainThreadCpuMs = () => statCpuMs(`/proc/self/task/${process.pid}/stat`);

/** A process's resident set size, in KB. */
const processRssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

module.exports = { processCpuMs, mainThreadCpuMs, processRssKb };
