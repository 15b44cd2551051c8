/** Map identifiers: FACEIT uses `de_inferno` in matches and "Inferno" as segment labels. */

/** CS2 active duty pool used when the match does not list its own pool. */
export const ACTIVE_DUTY_POOL: readonly string[] = [
  'de_mirage',
  'de_inferno',
  'de_nuke',
  'de_ancient',
  'de_anubis',
  'de_dust2',
  'de_train',
];

const BARE_ALIASES: Readonly<Record<string, string>> = {
  dustii: 'dust2',
  dust_2: 'dust2',
  'dust-2': 'dust2',
  dust_ii: 'dust2',
};

const LABELS: Readonly<Record<string, string>> = {
  de_dust2: 'Dust2',
};

/** "Inferno", "de_inferno", " DE_Inferno ", "Dust II" → "de_inferno" / "de_dust2". Empty input → "". */
export function normaliseMap(name: string): string {
  const s = name.trim().toLowerCase().replace(/\s+/g, '');
  if (s === '') return '';
  const prefixed = /^([a-z]{2})_(.+)$/.exec(s);
  if (prefixed && ['de', 'cs', 'ar', 'gd', 'dz'].includes(prefixed[1])) {
    const bare = BARE_ALIASES[prefixed[2]] ?? prefixed[2];
    return `${prefixed[1]}_${bare}`;
  }
  return `de_${BARE_ALIASES[s] ?? s}`;
}

/** "de_inferno" → "Inferno", "de_dust2" → "Dust2", "cs_office" → "Office". */
export function mapLabel(id: string): string {
  const norm = normaliseMap(id);
  const known = LABELS[norm];
  if (known) return known;
  const bare = norm.replace(/^[a-z]{2}_/, '');
  return bare
    .split('_')
    .filter((p) => p !== '')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join(' ');
}

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
