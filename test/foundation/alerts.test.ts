import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { alertRules, metricNames, PENDING_METRICS, PROMETHEUS_OWN } from '../../dev/alert-rules';

/**
 * deploy/prometheus/alerts.yml: it parses and is what prometheus.yml loads and compose mounts; every metric an alert's
 * expression names is one the app registers with prom-client (or Prometheus's own `up`); every alert has a runbook,
 * a section of docs/operations.md its runbook_url points at.
 */
const root = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const alerts = alertRules();

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The names the app registers: string literals shaped like a metric name in the files that use prom-client. */
function registeredMetrics(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles('src')) {
    const text = read(file);
    if (!/from 'prom-client'/.test(text)) continue;
    for (const m of text.matchAll(/['"`]([a-z][a-z0-9]*(?:_[a-z0-9]+)+)['"`]/g)) names.add(m[1]);
  }
  // A histogram `x` is queried as x_bucket, x_sum and x_count.
  for (const n of [...names]) for (const s of ['_bucket', '_sum', '_count']) names.add(n + s);
  return names;
}

/** GitHub's heading anchors, as test/structure/docs.test.ts computes them. */
function anchors(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  let fenced = false;
  let current: string | undefined;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      current = heading[1]
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
      out.set(current, '');
    } else if (current) out.set(current, out.get(current) + line + '\n');
  }
  return out;
}

describe('Prometheus alert rules (deploy/prometheus/alerts.yml)', () => {
  it('are loaded by prometheus.yml and mounted beside it by compose', () => {
    const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as { rule_files?: string[] };
    expect(prometheus.rule_files).toEqual(['alerts.yml']);
    const compose = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, { volumes?: string[] }>;
    };
    expect(compose.services.prometheus.volumes).toEqual(
      expect.arrayContaining([
        './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
      ]),
    );
  });

  it('alert on what the rehearsal and the chaos run know can go wrong, each with a severity and a summary', () => {
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining([
        'TaskQueueNoPoller',
        'TaskQueueBacklog',
        'FaceitRateLimited',
        'FaceitBudgetExhausted',
        'TelegramDeliveryUncertain',
        'StarsReconciliationFound',
        'PostgresUnreachable',
        'RedisUnreachable',
      ]),
    );
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
    for (const a of alerts) {
      expect({ alert: a.alert, severity: a.labels?.severity }).toEqual({
        alert: a.alert,
        severity: expect.stringMatching(/^(critical|warning)$/),
      });
      expect({ alert: a.alert, summary: a.annotations?.summary }).toEqual({
        alert: a.alert,
        summary: expect.any(String),
      });
      if (a.for)
        expect({ alert: a.alert, for: a.for }).toEqual({
          alert: a.alert,
          for: expect.stringMatching(/^\d+[smh]$/),
        });
    }
  });

  it('name only metrics the app registers (or Prometheus makes)', () => {
    const registered = registeredMetrics();
    // The grep finds the registrations (a sanity check of the test itself).
    for (const known of ['task_queue_pollers', 'dependency_up', 'telegram_delivery_uncertain_total'])
      expect(registered.has(known)).toBe(true);
    expect(metricNames('sum by (tier) (rate(foo_total{a="b"}[5m])) > 0.9 * max(bar) or absent(baz)')).toEqual(
      ['foo_total', 'bar', 'baz'],
    );
    const unknown = alerts.flatMap((a) =>
      metricNames(a.expr)
        .filter((n) => !registered.has(n) && !PROMETHEUS_OWN.has(n) && !PENDING_METRICS.has(n))
        .map((n) => `${a.alert}: ${n}`),
    );
    expect(unknown).toEqual([]);
    for (const a of alerts)
      expect({ alert: a.alert, metrics: metricNames(a.expr).length > 0 }).toEqual({
        alert: a.alert,
        metrics: true,
      });
  });

  it('each link a runbook section of docs/operations.md that exists and says what to do', () => {
    const sections = anchors(read('docs/operations.md'));
    for (const a of alerts) {
      const url = a.annotations?.runbook_url ?? '';
      const [path, anchor] = url.split('#');
      expect({ alert: a.alert, path }).toEqual({ alert: a.alert, path: 'docs/operations.md' });
      expect({ alert: a.alert, anchor }).toEqual({ alert: a.alert, anchor: a.alert!.toLowerCase() });
      const body = sections.get(anchor) ?? '';
      expect({ alert: a.alert, runbook: body.trim().length > 80 }).toEqual({ alert: a.alert, runbook: true });
    }
  });
});
