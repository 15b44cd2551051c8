/**
 * Typed callback data of inline buttons: one definition per kind of button, with its prefix and its fields, packs the
 * data a button carries and gives the filter that `composer.callbackQuery(...)` matches and the typed values back.
 *
 * The wire format is `<prefix>[:<field>]...`, fields in the order they are declared, trailing optional fields present
 * all together or not at all: the format the bot wrote by hand before this helper, byte for byte, so the buttons
 * already sitting in users' chats keep working (test/bot-kit/callback-data.test.ts compares every kind with those
 * strings and with the regular expressions it replaced).
 *
 * Why not npm `callback-data` (grammY's ecosystem): it orders the fields by name rather than as declared, has no
 * enumerations and no optional fields, counts characters rather than bytes against the 64-byte limit, and its filter
 * accepts anything in every field; three of today's formats (`an:b:<choice>:<match>:<requester>`,
 * `adm:<op>:<id>[:<plan>:<days>]`, `elo:<player>[:<nickname>]`) could not be kept with it. `@gramio/callback-data`
 * writes a compact encoding of its own. Hence this small helper.
 */

export const SEPARATOR = ':';
/** Telegram's limit on `callback_data`, in bytes (UTF-8). */
export const CALLBACK_DATA_MAX_BYTES = 64;

/** One field: the pattern its text matches on the wire (a regular expression source without capture groups). */
export interface CallbackField<T, Optional extends boolean = boolean> {
  readonly pattern: string;
  readonly optional: Optional;
  /** The text on the wire, or undefined if the value is not one this field carries. */
  encode(value: T): string | undefined;
  decode(text: string): T;
}

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Text matching `pattern` (default: anything but the separator, at least one character). */
function string(pattern = '[^:]+'): CallbackField<string, false> {
  const re = whole(pattern);
  return {
    pattern,
    optional: false,
    encode: (v) => (re.test(v) ? v : undefined),
    decode: (t) => t,
  };
}

/** A non-negative integer, in decimal digits (`maxDigits` of them at most, when given). */
function integer(maxDigits?: number): CallbackField<number, false> {
  const pattern = maxDigits === undefined ? '\\d+' : `\\d{1,${maxDigits}}`;
  const re = whole(pattern);
  return {
    pattern,
    optional: false,
    encode: (v) => (Number.isSafeInteger(v) && v >= 0 && re.test(String(v)) ? String(v) : undefined),
    decode: (t) => Number(t),
  };
}

/** One of `values`, written as is. */
function oneOf<const V extends string>(values: readonly V[]): CallbackField<V, false> {
  return {
    pattern: values.map(escape).join('|'),
    optional: false,
    encode: (v) => (values.includes(v) ? v : undefined),
    decode: (t) => t as V,
  };
}

/** The same field, absent from the data when its value is undefined (optional fields come last). */
function optional<T>(field: CallbackField<T, false>): CallbackField<T, true> {
  return { ...field, optional: true };
}

export const field = { string, integer, oneOf, optional };

type Fields = Record<string, CallbackField<string | number, boolean>>;
type ValueOf<F> = F extends CallbackField<infer T, boolean> ? T : never;
type Flat<T> = { [K in keyof T]: T[K] };
/** The values of a definition's fields: required ones as they are, optional ones may be left out. */
export type CallbackValues<F extends Fields> = Flat<
  { [K in keyof F as F[K] extends CallbackField<unknown, false> ? K : never]: ValueOf<F[K]> } & {
    [K in keyof F as F[K] extends CallbackField<unknown, true> ? K : never]?: ValueOf<F[K]>;
  }
>;

export interface CallbackData<F extends Fields> {
  readonly prefix: string;
  /** Matches this kind's data and nothing else: `composer.callbackQuery(KIND.filter, ...)`. */
  readonly filter: RegExp;
  /** The button's data; throws if a value does not fit its field, holds the separator, or the data exceeds 64 bytes. */
  pack(...values: keyof F extends never ? [] : [CallbackValues<F>]): string;
  /** `pack`, or undefined where it would throw (to fall back to a shorter button). */
  tryPack(...values: keyof F extends never ? [] : [CallbackValues<F>]): string | undefined;
  /** The typed values of data of this kind; undefined for any other data (malformed, forged, another kind). */
  unpack(data: string | undefined): CallbackValues<F> | undefined;
  /** The values in a handler registered with `filter` (`ctx.match`); throws if the data is not of this kind. */
  read(match: string | RegExpMatchArray | undefined): CallbackValues<F>;
}

/**
 * A kind of button: `callbackData('an:x', { matchId: field.string('[\\w-]{1,40}'), requesterId: field.integer(16) })`
 * packs `{ matchId, requesterId }` as `an:x:<matchId>:<requesterId>`.
 */
export function callbackData<const F extends Fields = Record<never, never>>(
  prefix: string,
  fields: F = {} as F,
): CallbackData<F> {
  const names = Object.keys(fields);
  const list = names.map((name) => ({ name, f: fields[name] as CallbackField<unknown> }));
  const firstOptional = list.findIndex((x) => x.f.optional);
  if (firstOptional >= 0 && list.slice(firstOptional).some((x) => !x.f.optional))
    throw new Error(`callback data ${prefix}: optional fields must come last`);
  const required = firstOptional < 0 ? list : list.slice(0, firstOptional);
  const optionals = firstOptional < 0 ? [] : list.slice(firstOptional);
  const group = (xs: typeof list) => xs.map((x) => `${SEPARATOR}(${x.f.pattern})`).join('');
  const filter = new RegExp(
    `^${escape(prefix)}${group(required)}${optionals.length ? `(?:${group(optionals)})?` : ''}$`,
  );

  const attempt = (values: Record<string, unknown> = {}): string | Error => {
    const given = optionals.filter((x) => values[x.name] !== undefined);
    if (given.length > 0 && given.length < optionals.length)
      return new Error(
        `callback data ${prefix}: give all of ${optionals.map((x) => x.name).join(', ')} or none`,
      );
    const parts = [prefix];
    for (const x of given.length ? list : required) {
      const text = x.f.encode(values[x.name] as never);
      if (text === undefined)
        return new Error(
          `callback data ${prefix}: ${x.name} = ${JSON.stringify(values[x.name])} does not fit`,
        );
      if (text.includes(SEPARATOR))
        return new Error(`callback data ${prefix}: ${x.name} holds the separator "${SEPARATOR}"`);
      parts.push(text);
    }
    const data = parts.join(SEPARATOR);
    const bytes = new TextEncoder().encode(data).length;
    if (bytes > CALLBACK_DATA_MAX_BYTES)
      return new Error(`callback data ${prefix}: ${bytes} bytes, over Telegram's ${CALLBACK_DATA_MAX_BYTES}`);
    return data;
  };

  const unpack = (data: string | undefined): CallbackValues<F> | undefined => {
    const m = data === undefined ? null : filter.exec(data);
    if (!m) return undefined;
    const out: Record<string, unknown> = {};
    list.forEach((x, i) => {
      const text = m[i + 1];
      if (text !== undefined) out[x.name] = x.f.decode(text);
    });
    return out as CallbackValues<F>;
  };

  return {
    prefix,
    filter,
    pack(...values) {
      const r = attempt(values[0] as Record<string, unknown> | undefined);
      if (r instanceof Error) throw r;
      return r;
    },
    tryPack(...values) {
      const r = attempt(values[0] as Record<string, unknown> | undefined);
      return r instanceof Error ? undefined : r;
    },
    unpack,
    read(match) {
      const values = unpack(typeof match === 'string' ? match : match?.[0]);
      if (!values) throw new Error(`callback data ${prefix}: read outside a handler of its filter`);
      return values;
    },
  };
}
