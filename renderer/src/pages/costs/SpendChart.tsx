import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartData, ChartLine } from './chartData';

/** Fixed hues, readable on both the light and the dark panel. */
export const PROVIDER_COLORS: Record<string, string> = { azure: '#3b82f6', openai: '#10a37f', local: '#e0902b' };
const FALLBACK_COLOR = '#8b8fa3';

const HEIGHT = 260;
const AXIS_FONT = '12px system-ui, sans-serif';

/** Wide enough for the longest tick label: "60,00 $US" needs more room than "$60.00". */
function axisWidth(u: uPlot, values: string[] | undefined): number {
  if (!values?.length) return 50;
  u.ctx.font = AXIS_FONT;
  const widest = Math.max(...values.map((v) => u.ctx.measureText(v).width));
  return Math.ceil(widest / (window.devicePixelRatio || 1) + 18);
}

/** The theme's colours as the canvas needs them: computed values, since a canvas cannot read var(--x). */
function themeColors(el: HTMLElement) {
  const probe = (name: string) => {
    const span = document.createElement('span');
    span.style.color = `var(${name})`;
    el.append(span);
    const color = getComputedStyle(span).color;
    span.remove();
    return color;
  };
  return { text: probe('--muted'), grid: probe('--border'), accent: probe('--accent'), bad: probe('--bad') };
}

/** `rgb(r, g, b)` (as getComputedStyle gives it) with an alpha, for the forecast band's fill. */
function withAlpha(rgb: string, alpha: number): string {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(rgb);
  return m ? `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${alpha})` : rgb;
}

/** Bumps whenever the theme may have changed: the setting (data-theme) or the system's scheme. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', bump);
    };
  }, []);
  return version;
}

function seriesOf(line: ChartLine, label: string, colors: ReturnType<typeof themeColors>, money: (v: number) => string): uPlot.Series {
  const value = (_u: uPlot, v: number | null) => (v === null ? '—' : money(v));
  const points = { show: false };
  switch (line.role) {
    case 'provider': {
      const color = PROVIDER_COLORS[line.provider ?? ''] ?? FALLBACK_COLOR;
      return { label, stroke: color, fill: `${color}cc`, width: 0, paths: uPlot.paths.bars!({ size: [0.8, 40], gap: 1 }), value, points };
    }
    case 'actual':
      return { label, stroke: colors.accent, width: 2.5, value, points };
    case 'median':
      return { label, stroke: colors.accent, width: 2, dash: [6, 4], value, points };
    case 'p10':
    case 'p90':
      return { label, stroke: colors.accent, width: 0.5, alpha: 0.6, value, points };
    case 'budget':
      return { label, stroke: colors.bad, width: 1.5, dash: [3, 3], value, points };
  }
}

export interface SpendChartProps {
  data: ChartData;
  label: (line: ChartLine) => string;
  /** The legend's name for the x value. */
  dayLabel: string;
  /** Dollars (the chart's unit) in the operator's locale. */
  money: (dollars: number) => string;
  locale: string;
  testId: string;
  title: string;
}

/**
 * A uPlot chart on canvas. uPlot sets sizes and positions through element.style (the DOM API),
 * which the page's style-src 'self' allows; it adds no inline <style> or script.
 */
export function SpendChart({ data, label, dayLabel, money, locale, testId, title }: SpendChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const theme = useThemeVersion();

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const colors = themeColors(el);
    const axis: uPlot.Axis = { font: AXIS_FONT, stroke: colors.text, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } };
    const dateFmt = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    const p90 = data.lines.findIndex((l) => l.role === 'p90');
    const p10 = data.lines.findIndex((l) => l.role === 'p10');
    const opts: uPlot.Options = {
      width: Math.max(320, el.clientWidth),
      height: HEIGHT,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      series: [
        { label: dayLabel, value: (_u, v) => (v === null ? '—' : dateFmt.format(v * 1000)) },
        ...data.lines.map((l) => seriesOf(l, label(l), colors, money)),
      ],
      bands: p90 >= 0 && p10 >= 0 ? [{ series: [p90 + 1, p10 + 1], fill: withAlpha(colors.accent, 0.18) }] : [],
      axes: [
        { ...axis, values: (_u, splits) => splits.map((s) => dateFmt.format(s * 1000)) },
        { ...axis, size: axisWidth, values: (_u, splits) => splits.map(money) },
      ],
    };
    const chart = new uPlot(opts, [data.x, ...data.lines.map((l) => l.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [data, label, dayLabel, money, locale, theme]);

  return <div ref={host} className="spend-chart" role="img" aria-label={title} data-testid={testId} data-total-micros={data.totalMicros} />;
}
