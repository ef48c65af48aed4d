/** 65536 -> "64 KB", 2**30 -> "1 GB". */
export function formatBytes(n: number): string {
  const units = [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const;
  for (const [unit, size] of units) if (n >= size) return `${Math.round((n / size) * 10) / 10} ${unit}`;
  return `${n} bytes`;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** "2GB", "500 MB", "1048576" -> bytes (binary units); undefined when it is not a size. */
export function parseBytes(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?b?)$/i.exec(raw.trim());
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase();
  const n = Math.round(Number(m[1]) * UNITS[unit === '' || unit.endsWith('b') ? unit : `${unit}b`]!);
  return Number.isSafeInteger(n) ? n : undefined;
}
