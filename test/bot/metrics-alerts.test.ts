import { startBotWorld, type BotWorld } from './harness';

/**
 * The bot's /metrics carries what the alert rules read of a bot replica (deploy/prometheus/alerts.yml): its own
 * counters, the process-wide ones (the FACEIT client's where it counts, telegram_delivery_uncertain_total of its progress replies,
 * at 0 from the start so that Prometheus's increase() sees the first case) and the scrape-time probes.
 */
describe('bot: /metrics for the alert rules', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld();
  });
  afterAll(() => w?.stop());

  it('serves the process-wide counters beside its own, and the probes', async () => {
    await w.send(w.user('en'), '/help');
    const text = await fetch(`http://127.0.0.1:${w.bot!.httpPort}/metrics`).then((r) => r.text());
    expect(text).toContain('bot_updates_total{type="message"}');
    expect(text).toContain(
      'telegram_delivery_uncertain_total{outcome="possible_duplicate",kind="progress_reply"} 0',
    );
    expect(text).toContain('dependency_up{dependency="postgres"} 1');
    expect(text).toContain('dependency_up{dependency="redis"} 1');
    expect(text).toMatch(
      /^task_queue_pollers\{tier="critical",task_queue="[^"]+",task_type="activity"\} [1-9]/m,
    );
    // One family per name: Prometheus refuses a scrape with a metric twice.
    const families = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    expect(families.length).toBe(new Set(families).size);
  });
});
