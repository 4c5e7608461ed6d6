/**
 * Sizes for people: `12 MiB`, `3.5 KiB`, `80 bytes`, in the unit that fits (two significant digits under 10, whole
 * numbers above), so a small limit never reads "0.0 MB".
 */
export function formatSize(bytes: number): string {
  const round = (n: number) => (n >= 10 ? Math.round(n) : Number(n.toPrecision(2)));
  const units: Array<[number, string]> = [
    [1024 ** 4, 'TiB'],
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      return `${round(bytes / size)} ${unit}`;
    }
  }
  const whole = Math.floor(bytes);
  return whole === 1 ? '1 byte' : `${whole} bytes`;
}
