/** 65536 -> "64 KB", 2**30 -> "1 GB". */
export function formatBytes(n: number): string {
  const units = [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const;
  for (const [unit, size] of units) if (n >= size) return `${Math.round((n / size) * 10) / 10} ${unit}`;
  return `${n} bytes`;
}
