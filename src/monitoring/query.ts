/**
 * What /track and /untrack accept: a FACEIT nickname or a FACEIT profile link
 * (https://www.faceit.com/en/players/<nickname>[/...]). Returns the nickname, or undefined for anything else.
 */
export function parsePlayerQuery(text: string): string | undefined {
  const raw = text.trim();
  if (!raw) return undefined;
  const link =
    /^(?:https?:\/\/)?(?:www\.)?faceit\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?players?\/([^/?#\s]+)/i.exec(raw);
  const candidate = link ? safeDecode(link[1]) : raw.split(/\s+/)[0];
  return /^[\p{L}\p{N}_.-]{2,32}$/u.test(candidate) ? candidate : undefined;
}

/** A bad `%` escape (`/track faceit.com/players/%E0%A4%A`) is just not a nickname, not an exception. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
