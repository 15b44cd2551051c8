/**
 * FACEIT names a map `de_inferno` in matches and per-match stats but `Inferno` in lifetime segments;
 * `mapKey` gives both the same key ("inferno") so the two can be joined.
 */
export function mapKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^(de|cs)_/, '')
    .replace(/[^a-z0-9]/g, '');
}
