/**
 * Scores the ELO baseline and the bot's model on a backtest dataset (npm run quality:collect):
 *
 *   npm run bench:quality -- --data quality-dataset.jsonl [--train 0.6]
 *
 * Time-ordered split: the older `train` share fits the model's weights (logistic regression on the baseline's
 * logit, src/predictions/model/backtest.ts), the newer rest is scored. Printed: n, Brier, log-loss and favourite
 * accuracy for a coin flip, the ELO baseline, the model with its shipped weights and with the fitted ones, and a
 * 95 % bootstrap interval of the Brier and log-loss differences (model − baseline; below 0 = the model is better),
 * then one JSON line with every figure.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MODEL } from '../src/analysis';
import {
  bootstrapDifference,
  fitWeights,
  forecastOf,
  modelP,
  scoresOf,
  type DatasetRecord,
} from '../src/predictions/model/backtest';
import { brier, logLoss } from '../src/predictions/model/scores';

const { values } = parseArgs({
  options: { data: { type: 'string' }, train: { type: 'string', default: '0.6' } },
});

function main(): void {
  if (!values.data) {
    console.error('usage: npm run bench:quality -- --data FILE [--train 0.6]');
    process.exit(2);
  }
  const records = readFileSync(values.data, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DatasetRecord)
    .sort((a, b) => a.finishedAt - b.finishedAt);
  const forecasts = records.map(forecastOf);
  const cut = Math.round(forecasts.length * Number(values.train));
  const train = forecasts.slice(0, cut);
  const test = forecasts.slice(cut);
  if (test.length < 10) {
    console.error(`only ${test.length} test matches: collect more (${records.length} in ${values.data})`);
    process.exit(1);
  }
  const fitted = fitWeights(train);
  const rows = {
    coin: test.map((f) => ({ p: 0.5, y: f.y })),
    elo: test.map((f) => ({ p: f.elo, y: f.y })),
    model: test.map((f) => ({ p: modelP(f), y: f.y })),
    fitted: test.map((f) => ({ p: modelP(f, fitted), y: f.y })),
  };
  const scores = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, scoresOf(v)])) as Record<
    keyof typeof rows,
    ReturnType<typeof scoresOf>
  >;
  const loss = (r: { p: number; y: 0 | 1 }[], f: typeof brier) => r.map((x) => f(x.p, x.y));
  const diff = (name: 'model' | 'fitted') => ({
    brier: bootstrapDifference(loss(rows[name], brier), loss(rows.elo, brier)),
    logLoss: bootstrapDifference(loss(rows[name], logLoss), loss(rows.elo, logLoss)),
  });
  const diffs = { model: diff('model'), fitted: diff('fitted') };

  const f3 = (x: number) => x.toFixed(3).padStart(7);
  console.log(
    `dataset ${values.data}: ${records.length} matches, train ${train.length} (oldest), test ${test.length}`,
  );
  console.log(`shipped weights ${JSON.stringify(MODEL)}`);
  console.log(
    `fitted weights  ${JSON.stringify(Object.fromEntries(Object.entries(fitted).map(([k, v]) => [k, +Number(v).toFixed(3)])))}`,
  );
  console.log('forecaster        n    Brier  log-loss  accuracy');
  for (const [name, s] of Object.entries(scores)) {
    console.log(
      `${name.padEnd(14)} ${String(s.n).padStart(4)} ${f3(s.brier)}  ${f3(s.logLoss)}   ${s.accuracy === null ? '    —  ' : `${(s.accuracy * 100).toFixed(1).padStart(5)} %`}`,
    );
  }
  for (const [name, d] of Object.entries(diffs)) {
    console.log(
      `${name} − ELO: Brier ${d.brier.mean.toFixed(4)} [${d.brier.low.toFixed(4)}, ${d.brier.high.toFixed(4)}], ` +
        `log-loss ${d.logLoss.mean.toFixed(4)} [${d.logLoss.low.toFixed(4)}, ${d.logLoss.high.toFixed(4)}] (95 % bootstrap)`,
    );
  }
  console.log(
    JSON.stringify({
      bench: 'quality',
      data: values.data,
      matches: records.length,
      train: train.length,
      test: test.length,
      weights: { shipped: MODEL, fitted },
      scores,
      differences: diffs,
    }),
  );
}

main();
