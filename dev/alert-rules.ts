import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The alert rules of deploy/prometheus/alerts.yml, read by test/foundation/alerts.test.ts and the rehearsal. */
export interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const ALERTS_FILE = join(__dirname, '../deploy/prometheus/alerts.yml');

export function alertRules(path = ALERTS_FILE): AlertRule[] {
  const rules = parse(readFileSync(path, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
  return rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
}

/** Series Prometheus itself makes for every target. */
export const PROMETHEUS_OWN = new Set(['up']);
/** Metrics other slices are adding (named here so an alert can be ready before they land): none today. */
export const PENDING_METRICS = new Set<string>();

const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset',
  'inf', 'nan',
]); // prettier-ignore

/** The metric names a PromQL expression selects: identifiers outside strings, label matchers and ranges that are not
 * function calls, keywords or the label lists of by/without/on/ignoring. */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = stripped.slice(m.index + m[0].length).trimStart();
    if (after.startsWith('(')) continue; // a function or aggregation
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    if (/^\d/.test(stripped[m.index - 1] ?? '')) continue; // a duration or number suffix
    names.push(m[0]);
  }
  return [...new Set(names)];
}
