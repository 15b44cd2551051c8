import { register } from 'prom-client';
import { starsReconcileFindings } from '../../src/ops/metrics';

/**
 * The Stars alert (deploy/prometheus/alerts.yml) fires on increase() of the reconciliation's findings: a series that
 * does not exist until the first finding has nothing to increase from, so a worker exports every finding at 0.
 */
describe('Stars reconciliation findings metric', () => {
  it('is exported at 0 for every finding before any reconciliation ran', async () => {
    starsReconcileFindings();
    const text = await register.metrics();
    for (const finding of ['missing', 'unsettled', 'refund'])
      expect(text).toContain(`billing_stars_reconcile_findings_total{finding="${finding}"} 0`);
  });
});
