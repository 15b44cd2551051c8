/** The slice's two pictures: the ELO history and the reliability diagram of /accuracy. */
import { renderChart, type ChartImage } from '../charts';
import type { EloSeries } from './model/elo';
import type { ReliabilityBin } from './model/scores';

export interface EloChartLabels {
  title: string;
  subtitle: string;
  elo: string;
  match: string;
}

export function eloChart(series: EloSeries, labels: EloChartLabels, timeZone: string): ChartImage {
  const line = series.points.map((p) => [p.at, p.elo]);
  const withMatch = series.points.filter((p) => p.matchId).map((p) => [p.at, p.elo]);
  const pad = Math.max(25, Math.round((series.max - series.min) * 0.1));
  return renderChart({
    title: { text: labels.title, subtext: labels.subtitle, left: 'center' },
    legend: { bottom: 8, data: [labels.elo, labels.match] },
    grid: { left: 70, right: 40, top: 80, bottom: 70 },
    xAxis: {
      type: 'time',
      axisLabel: {
        formatter: (v: number) =>
          new Intl.DateTimeFormat('en-GB', { timeZone, day: '2-digit', month: '2-digit' }).format(v),
      },
    },
    yAxis: { type: 'value', name: labels.elo, min: series.min - pad, max: series.max + pad },
    series: [
      { name: labels.elo, type: 'line', data: line, step: 'end', symbol: 'none', lineStyle: { width: 3 } },
      { name: labels.match, type: 'scatter', data: withMatch, symbolSize: 9 },
    ],
  });
}

export interface ReliabilityChartLabels {
  title: string;
  subtitle: string;
  predicted: string;
  observed: string;
  ours: string;
  elo: string;
  perfect: string;
}

export function reliabilityChart(
  bins: { ours: ReliabilityBin[]; elo: ReliabilityBin[] },
  labels: ReliabilityChartLabels,
): ChartImage {
  const points = (b: ReliabilityBin[]) =>
    b
      .filter((x) => x.n > 0)
      .map((x) => ({ value: [x.predicted, x.observed], symbolSize: 6 + Math.sqrt(x.n) * 2 }));
  return renderChart({
    title: { text: labels.title, subtext: labels.subtitle, left: 'center' },
    legend: { bottom: 8, data: [labels.ours, labels.elo, labels.perfect] },
    grid: { left: 80, right: 40, top: 80, bottom: 80 },
    xAxis: { type: 'value', name: labels.predicted, nameLocation: 'middle', nameGap: 28, min: 0.5, max: 1 },
    yAxis: { type: 'value', name: labels.observed, nameLocation: 'middle', nameGap: 45, min: 0, max: 1 },
    series: [
      {
        name: labels.perfect,
        type: 'line',
        data: [
          [0.5, 0.5],
          [1, 1],
        ],
        symbol: 'none',
        lineStyle: { type: 'dashed', color: '#999999' },
      },
      { name: labels.ours, type: 'line', data: points(bins.ours), lineStyle: { width: 3 } },
      { name: labels.elo, type: 'line', data: points(bins.elo), lineStyle: { width: 2, type: 'dotted' } },
    ],
  });
}
