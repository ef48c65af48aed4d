import fs from 'node:fs';
import os from 'node:os';

/** What the figures were measured on; written next to them so they can be compared. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}
export type MachineInfo = ReturnType<typeof machineInfo>;

/**
 * How contended the CPU was: the share of wall time in which some runnable task waited for a
 * CPU (Linux PSI, /proc/pressure/cpu "some"). Call `start()`, then `stop()` for the fraction
 * (null where PSI is not available). On a shared machine this says how noisy tail latencies are.
 */
export function cpuPressure() {
  const read = (): number | null => {
    try {
      const line = fs.readFileSync('/proc/pressure/cpu', 'utf8').split('\n').find((l) => l.startsWith('some'));
      const total = line?.match(/total=(\d+)/)?.[1];
      return total === undefined ? null : Number(total);
    } catch {
      return null;
    }
  };
  const t0 = Date.now();
  const p0 = read();
  return {
    stop(): number | null {
      const p1 = read();
      if (p0 === null || p1 === null) return null;
      return (p1 - p0) / 1000 / Math.max(1, Date.now() - t0);
    },
  };
}
