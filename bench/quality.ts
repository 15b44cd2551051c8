/**
 * Scores the bot's shipped model against "ELO alone" and FACEIT's raw ELO formula:
 *
 *   npm run bench:quality [-- --seed quality --matches 1000 --players 2000 --sanity]   the emulator's skill world
 *   npm run bench:quality -- --data quality-dataset.jsonl                             a collected dataset
 *
 * Skill world (default; emulators/faceit/skill-world.ts): a seeded world where every player has a hidden skill from
 * which both what FACEIT shows (ELO with lag and noise, stat lines, per-map records, form) and each match's result
 * are drawn, with parties that help and smurfs; the model reads only what FACEIT shows. 2 × `matches` matches are
 * recorded after the warm-up: the older half fits ELO alone's slope, the newer half (`matches`, ≥ 1,000 by default)
 * is scored. `--sanity` turns parties' bonus and smurfs off and makes the ELO shown equal the skill (no map offsets):
 * then nothing but ELO carries signal, and the model must not beat ELO alone beyond noise.
 * A dataset (`--data`): the older half (by finish time) fits the slope, the newer half is scored; no oracle.
 *
 * Printed: the parameters, ELO alone's fitted slope, n, Brier, log-loss and the favourite's win rate of a coin flip,
 * the raw ELO formula, ELO alone, the shipped model and (skill world) the oracle, each against ELO alone with the
 * paired 95 % intervals /accuracy uses (src/predictions/model/scores.ts), what the run can and cannot show, then
 * one JSON line with every figure.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateSkillWorld, type SkillWorldOptions } from '../emulators/faceit/skill-world';
import { MODEL } from '../src/analysis';
import {
  backtest,
  forecastOf,
  type BacktestResult,
  type DatasetRecord,
} from '../src/predictions/model/backtest';
import type { PairedDifference } from '../src/predictions/model/scores';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    seed: { type: 'string', default: 'quality' },
    matches: { type: 'string', default: '1000' },
    players: { type: 'string', default: '2000' },
    sanity: { type: 'boolean', default: false },
  },
});

const SANITY: SkillWorldOptions = { seed: 0, partyBonus: 0, smurfShare: 0, eloIsSkill: true, mapSpread: 0 };

function fromWorld(): { label: string; result: BacktestResult; params: unknown; seconds: number } {
  const started = Date.now();
  const n = Number(values.matches);
  const world = generateSkillWorld({
    ...(values.sanity ? SANITY : {}),
    seed: values.seed ?? 'quality',
    players: Number(values.players),
    matches: 2 * n,
  });
  const forecasts = world.records.map(forecastOf);
  const result = backtest(
    forecasts.slice(0, n),
    forecasts.slice(n),
    world.truth.slice(n).map((t) => t.p),
  );
  return {
    label: `skill world${values.sanity ? ' (sanity: no party bonus, no smurfs, ELO = skill)' : ''}, seed ${values.seed}`,
    result,
    params: world.params,
    seconds: (Date.now() - started) / 1000,
  };
}

function fromData(file: string): { label: string; result: BacktestResult; params: unknown; seconds: number } {
  const started = Date.now();
  const forecasts = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DatasetRecord)
    .sort((a, b) => a.finishedAt - b.finishedAt)
    .map(forecastOf);
  const cut = Math.floor(forecasts.length / 2);
  if (forecasts.length - cut < 10) {
    console.error(`only ${forecasts.length} matches in ${file}: collect more`);
    process.exit(1);
  }
  return {
    label: `dataset ${file}`,
    result: backtest(forecasts.slice(0, cut), forecasts.slice(cut)),
    params: { data: file },
    seconds: (Date.now() - started) / 1000,
  };
}

const CAN = [
  'CAN show: whether the shipped model extracts the signal that this generating process puts beyond ELO (hidden',
  '  skill seen through noisy stat lines, per-map offsets, form that ELO follows with a lag, parties, smurfs), how far',
  '  it is from the ceiling (the oracle: the generating probability itself), and that the harness is leak-free',
  '  (with --sanity nothing beyond ELO exists, so a model beating ELO alone there would be reading the outcome).',
  'CANNOT show: how the model does on real FACEIT matches. The world is ours: its effect sizes (party bonus, map',
  '  offsets, form, smurf share) are chosen, not measured, so a win or a loss here says how the model fits this',
  '  process, not CS2. Real accuracy needs real matches (npm run quality:collect with a key, /accuracy, model:score).',
];
const CAN_DATA = [
  'CAN show: the shipped model against ELO alone on these matches (within the printed intervals).',
  'CANNOT show: anything beyond this dataset; a collected dataset has no match-time ELO (estimated from levels).',
];

function commit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function main(): void {
  const run = values.data ? fromData(values.data) : fromWorld();
  const { result } = run;
  const f4 = (x: number | null) => (x === null ? '     —' : x.toFixed(4).padStart(7));
  const signed = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`);
  const interval = (d: PairedDifference) => `${signed(d.mean)} [${signed(d.low)}, ${signed(d.high)}]`;
  console.log(`${run.label}; commit ${commit()}; ${run.seconds.toFixed(1)} s`);
  console.log(`parameters ${JSON.stringify(run.params)}`);
  console.log(`shipped weights ${JSON.stringify(MODEL)}`);
  console.log(
    `ELO alone: slope ${result.eloSlope.toFixed(3)} on the ELO formula's logit, fitted on the older ${result.fitMatches} matches; scored: the newer ${result.scoredMatches}`,
  );
  console.log('forecaster                    n    Brier  log-loss  favourite won');
  for (const { name, score } of result.forecasters) {
    const acc = score.favouriteWinRate === null ? '   —' : `${(score.favouriteWinRate * 100).toFixed(1)} %`;
    console.log(
      `${name.padEnd(26)} ${String(score.n).padStart(5)} ${f4(score.brier)}  ${f4(score.logLoss)}   ${acc}`,
    );
  }
  console.log(
    'against ELO alone, paired, 95 % (Brier, log-loss: below 0 = better; accuracy: above 0 = better)',
  );
  for (const { name, vsEloAlone: d } of result.forecasters) {
    if (name.startsWith('ELO alone')) continue;
    console.log(
      `${name.padEnd(26)} Brier ${interval(d.brier)}  log-loss ${interval(d.logLoss)}  accuracy ${interval(d.accuracy)}  → ${d.verdict}`,
    );
  }
  const model = result.forecasters.find((x) => x.name === 'shipped model');
  console.log(
    `the shipped model ${
      model?.vsEloAlone.verdict === 'better'
        ? 'beats ELO alone here (both intervals below 0)'
        : model?.vsEloAlone.verdict === 'worse'
          ? 'does WORSE than ELO alone here (both intervals above 0)'
          : 'does NOT beat ELO alone here (an interval includes 0)'
    }`,
  );
  for (const line of values.data ? CAN_DATA : CAN) console.log(line);
  console.log(
    JSON.stringify({ bench: 'quality', label: run.label, params: run.params, model: MODEL, ...result }),
  );
}

main();
