import {
  createPool,
  createTypeParserPreset,
  SchemaValidationError,
  type DatabasePool,
  type Interceptor,
} from 'slonik';

export type { DatabasePool } from 'slonik';

/** Validates each row with the zod schema of `sql.type(schema)` queries (slonik's documented recipe). */
const resultParserInterceptor: Interceptor = {
  transformRow: async (context, query, row) => {
    const parser = context.resultParser;
    if (!parser) return row;
    const result = await parser.safeParseAsync(row);
    if (!result.success) throw new SchemaValidationError(query, row, result.error.issues);
    return result.data as typeof row;
  },
};

/**
 * Type parsers: BIGINT as a JS number (Telegram ids have at most 52 significant bits; anything beyond the safe
 * range is refused rather than rounded), timestamptz as Date, the rest as slonik's preset.
 */
const typeParsers: ReturnType<typeof createTypeParserPreset> = [
  ...createTypeParserPreset().filter((p) => !['int8', 'timestamptz', 'timestamp'].includes(p.name)),
  {
    name: 'int8',
    parse: (value: string) => {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${value} is beyond the safe integer range`);
      return n;
    },
  },
  { name: 'timestamptz', parse: (value: string) => new Date(value) },
  { name: 'timestamp', parse: (value: string) => new Date(`${value}Z`) },
];

export function createDatabasePool(
  databaseUrl: string,
  options: { maximumPoolSize?: number } = {},
): Promise<DatabasePool> {
  return createPool(databaseUrl, {
    interceptors: [resultParserInterceptor],
    typeParsers,
    maximumPoolSize: options.maximumPoolSize ?? 10,
    statementTimeout: 30_000,
    idleTimeout: 10_000,
  });
}
