/** Parsing what users type: account references, counts, room links. Pure; every failure has a reason to explain. */

/** How a user names a player: `/link`, `/profile` and `/compare` accept all three (the stats workflows take it). */
export type PlayerRef =
  | { kind: 'nickname'; nickname: string }
  | { kind: 'steam'; steamId64: string }
  | { kind: 'id'; playerId: string };

export type AccountInputError =
  'empty' | 'too-long' | 'invalid-nickname' | 'malformed-url' | 'steam-vanity' | 'room-url';

export type AccountInput =
  { ok: true; ref: PlayerRef; shown: string } | { ok: false; error: AccountInputError };

/** FACEIT nicknames: letters, digits, "-" and "_" (a few legacy ones have "."); 2–32 characters with some slack. */
const NICKNAME = /^[\p{L}\p{N}_.-]{2,32}$/u;
const STEAM64 = /^7656119\d{10}$/;
const MAX_INPUT = 200;

/** `/start an_<matchId>`: the deep link of inline mode's "analyse in the bot" button. */
export const ANALYZE_DEEP_LINK = 'an_';

function asUrl(text: string): URL | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  try {
    return new URL(withScheme);
  } catch {
    return null;
  }
}

const looksLikeUrl = (text: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(www\.)?[\w-]+\.[a-z]{2,}\//i.test(text);

function fromUrl(url: URL): AccountInput {
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const path = url.pathname.split('/').filter(Boolean);
  if (host === 'faceit.com') {
    const i = path.indexOf('players');
    if (path.includes('room')) return { ok: false, error: 'room-url' };
    const nickname = i >= 0 ? safeDecode(path[i + 1] ?? '') : '';
    return NICKNAME.test(nickname)
      ? { ok: true, ref: { kind: 'nickname', nickname }, shown: nickname }
      : { ok: false, error: 'malformed-url' };
  }
  if (host === 'steamcommunity.com') {
    if (path[0] === 'profiles' && STEAM64.test(path[1] ?? '')) {
      return { ok: true, ref: { kind: 'steam', steamId64: path[1] }, shown: path[1] };
    }
    if (path[0] === 'id' && path[1]) return { ok: false, error: 'steam-vanity' };
  }
  return { ok: false, error: 'malformed-url' };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

/** A nickname, a FACEIT profile link, a Steam64 id or a Steam profile link (`/profiles/<id>`). */
export function parseAccountReference(input: string): AccountInput {
  const text = input.trim();
  if (!text) return { ok: false, error: 'empty' };
  if (text.length > MAX_INPUT) return { ok: false, error: 'too-long' };
  if (looksLikeUrl(text)) {
    const url = asUrl(text);
    return url ? fromUrl(url) : { ok: false, error: 'malformed-url' };
  }
  if (STEAM64.test(text)) return { ok: true, ref: { kind: 'steam', steamId64: text }, shown: text };
  if (text.length > 32) return { ok: false, error: 'too-long' };
  if (NICKNAME.test(text)) return { ok: true, ref: { kind: 'nickname', nickname: text }, shown: text };
  return { ok: false, error: 'invalid-nickname' };
}

export type CountInput = { ok: true; value: number; clamped: boolean } | { ok: false };

/** "/matches 7": a whole number, default when absent, cut to `max` (and said so). */
export function parseCount(arg: string, options: { fallback: number; max: number }): CountInput {
  const text = arg.trim();
  if (!text) return { ok: true, value: options.fallback, clamped: false };
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1) return { ok: false };
  const n = Number(text);
  return { ok: true, value: Math.min(n, options.max), clamped: n > options.max };
}

/** A message that carries a FACEIT room link, pasted without a command. */
export function containsRoomLink(text: string): boolean {
  return /faceit\.com\/\S*room\/\S+/i.test(text);
}

/** Arguments split on whitespace. */
export function words(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}
