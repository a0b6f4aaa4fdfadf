/**
 * The report's charts with chart.js 4. Only the controllers, elements and scales used are registered, so
 * the bundle carries no more of chart.js than the page draws. Error bars come from
 * chartjs-chart-error-bars (sgratzl, chart.js ^4.1 peer): whiskers from each figure's band or 95 % CI.
 * Animation is off: figures appear at once, and screenshots and reduced-motion users see a still chart.
 */
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Ticks,
  Tooltip,
  type ChartDataset,
  type Tick,
  type TooltipItem,
} from 'chart.js';
import { BarWithErrorBar, BarWithErrorBarsController } from 'chartjs-chart-error-bars';
import { formatJoules, formatNumber } from '../../energy/quantity';
import type { Report, TradeoffPoint } from '../../report/types';
import type { ChartTheme } from './theme';
import {
  energyText,
  frontierLine,
  logRange,
  logTick,
  meterOf,
  metricName,
  provenanceBadge,
  qualityAxisTitle,
  qualityRange,
  SERIES_NAMES,
  toJoules,
  withBand,
  wrapText,
} from './view';

Chart.register(
  ScatterController,
  LineController,
  PointElement,
  LineElement,
  LinearScale,
  LogarithmicScale,
  CategoryScale,
  Tooltip,
  Legend,
  BarWithErrorBarsController,
  BarWithErrorBar,
);

interface ScatterDatum {
  x: number;
  y: number;
  i: number;
}

const STYLES: Record<TradeoffPoint['series'], { pointStyle: 'circle' | 'rectRot' | 'triangle'; radius: number }> = {
  model: { pointStyle: 'rectRot', radius: 9 },
  variant: { pointStyle: 'circle', radius: 6 },
  alternative: { pointStyle: 'triangle', radius: 6 },
};

function baseOptions(theme: ChartTheme, font: string) {
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    color: theme.fg,
    font: { family: font },
    plugins: {
      legend: {
        labels: {
          color: theme.fg,
          usePointStyle: true,
          // A series' swatch takes its outline from its first point, which may wear the frontier ring:
          // draw every point swatch with the plain outline so the legend shows the series, not one point.
          generateLabels: (chart: Chart) =>
            Chart.defaults.plugins.legend.labels
              .generateLabels(chart)
              .map((l) => (l.text === 'Frontier' ? l : { ...l, strokeStyle: theme.fg, lineWidth: 1 })),
        },
      },
    },
  };
}

function axis(theme: ChartTheme, title: string) {
  return {
    title: { display: true, text: title, color: theme.fg },
    ticks: { color: theme.muted },
    grid: { color: theme.grid },
    border: { color: theme.grid },
  };
}

/** Full figures and provenance of one point, for its tooltip. */
export function pointTooltip(report: Report, p: TradeoffPoint): string[] {
  const e = p.energyPerInference;
  const badge = provenanceBadge(e, meterOf(report, p));
  const lines = [
    `${SERIES_NAMES[p.series]}: ${p.label}`,
    `Energy: ${energyText(e)} per inference (${formatJoules(toJoules(e.low, e.unit))}–${formatJoules(toJoules(e.high, e.unit))})`,
    badge.detail,
  ];
  if (p.quality)
    lines.push(`Quality: ${formatNumber(p.quality.value)} % ${metricName(p.quality.metric)} (${p.quality.source})`);
  if (p.latencyMs)
    lines.push(
      `Median latency: ${formatNumber(p.latencyMs.value)} ms (95 % CI ${formatNumber(p.latencyMs.low)}–${formatNumber(p.latencyMs.high)})`,
    );
  if (p.yearly)
    lines.push(`Per year: ${withBand(p.yearly.energy)}, ${withBand(p.yearly.co2)}, ${withBand(p.yearly.cost)}`);
  if (p.onFrontier) lines.push('On the energy–quality frontier');
  // Canvas tooltips do not wrap: long provenance and source texts are broken into lines here.
  return lines.flatMap((l, i) => wrapText(l).map((w, j) => (i > 0 && j > 0 ? `    ${w}` : w)));
}

/** The energy / quality scatter with one series per kind of point and the frontier line. */
export function paretoChart(
  canvas: HTMLCanvasElement,
  report: Report,
  points: readonly TradeoffPoint[],
  theme: ChartTheme,
  font: string,
): Chart {
  const datasets: ChartDataset<'scatter' | 'line', ScatterDatum[] | { x: number; y: number }[]>[] = [];
  for (const series of ['model', 'variant', 'alternative'] as const) {
    const data = points.flatMap((p, i) => {
      const x = toJoules(p.energyPerInference.value, p.energyPerInference.unit);
      return p.series === series && p.quality && x > 0 ? [{ x, y: p.quality.value, i }] : [];
    });
    if (data.length === 0) continue;
    const colour = theme.series[series];
    // Frontier points get a thick ring in the frontier colour, so the frontier reads without the line too.
    const ring = data.map((d) => (points[d.i]?.onFrontier ? theme.series.frontier : theme.fg));
    const width = data.map((d) => (points[d.i]?.onFrontier ? 3 : 1));
    datasets.push({
      type: 'scatter',
      label: SERIES_NAMES[series],
      data,
      backgroundColor: colour,
      borderColor: ring,
      borderWidth: width,
      pointStyle: STYLES[series].pointStyle,
      pointRadius: STYLES[series].radius,
      pointHoverRadius: STYLES[series].radius + 2,
      order: 1,
      // Points on the 100 % line or the range's ends are drawn whole rather than cut at the chart area.
      clip: 12,
    });
  }
  const frontier = frontierLine(points);
  if (frontier.length > 1) {
    datasets.push({
      type: 'line',
      label: 'Frontier',
      data: frontier,
      borderColor: theme.series.frontier,
      borderDash: [6, 4],
      borderWidth: 2,
      pointRadius: 0,
      fill: false,
      order: 2,
    });
  }
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets: datasets as ChartDataset<'scatter', ScatterDatum[]>[] },
    options: {
      ...baseOptions(theme, font),
      scales: {
        x: {
          type: 'logarithmic',
          ...axis(theme, 'Energy per inference (log scale)'),
          ...logRange(points),
          ticks: { color: theme.muted, autoSkip: true, maxRotation: 0, callback: (v) => logTick(Number(v)) },
        },
        y: {
          type: 'linear',
          ...axis(theme, qualityAxisTitle(points)),
          ...qualityRange(points),
          ticks: {
            color: theme.muted,
            callback: function (v, i, ticks: Tick[]) {
              return `${Ticks.formatters.numeric.call(this, Number(v), i, ticks)} %`;
            },
          },
        },
      },
      plugins: {
        ...baseOptions(theme, font).plugins,
        tooltip: {
          filter: (item: TooltipItem<'scatter'>) => item.dataset.label !== 'Frontier',
          callbacks: {
            label: (item: TooltipItem<'scatter'>) => {
              const p = points[(item.raw as ScatterDatum).i];
              return p ? pointTooltip(report, p) : '';
            },
          },
        },
      },
    },
  });
}

/** One bar with its whisker. */
export interface Bar {
  label: string;
  y: number;
  yMin: number;
  yMax: number;
}

/** A bar chart of one metric with error bars from each figure's band or confidence interval. */
export function barChart(
  canvas: HTMLCanvasElement,
  title: string,
  unit: string,
  bars: readonly Bar[],
  theme: ChartTheme,
  font: string,
): Chart<'barWithErrorBars'> {
  return new Chart(canvas, {
    type: 'barWithErrorBars',
    data: {
      labels: bars.map((b) => (b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label)),
      datasets: [
        {
          label: title,
          data: bars.map((b) => ({ y: b.y, yMin: b.yMin, yMax: b.yMax })),
          backgroundColor: theme.bar,
          borderColor: theme.fg,
          borderWidth: 1,
          errorBarColor: theme.whisker,
          errorBarWhiskerColor: theme.whisker,
          errorBarLineWidth: 1.5,
          errorBarWhiskerLineWidth: 1.5,
          errorBarWhiskerRatio: 0.3,
        },
      ],
    },
    options: {
      ...baseOptions(theme, font),
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => bars[items[0]?.dataIndex ?? -1]?.label ?? '',
            label: (item) => {
              const b = bars[item.dataIndex];
              return b ? `${formatNumber(b.y)} ${unit} (${formatNumber(b.yMin)}–${formatNumber(b.yMax)})` : '';
            },
          },
        },
      },
      scales: {
        x: { ...axis(theme, ''), title: { display: false } },
        y: {
          ...axis(theme, unit),
          beginAtZero: true,
          ticks: { color: theme.muted, callback: (v) => formatNumber(Number(v)) },
        },
      },
    },
  });
}
