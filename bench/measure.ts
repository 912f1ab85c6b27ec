/** Small timing and memory helpers shared by the *.bench.ts scripts. */

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Peak resident memory of this process so far, in MiB (ru_maxrss is in KiB on Linux). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function figure(label: string, value: number, unit: string, digits = 1): void {
  console.log(`${label.padEnd(58)} ${value.toFixed(digits).padStart(10)} ${unit}`);
}
