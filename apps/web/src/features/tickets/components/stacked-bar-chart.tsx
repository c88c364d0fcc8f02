import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption, LegendComponent, type LegendComponentOption, TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import { type ComposeOption, type ECharts, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the board draws: horizontal stacked bars with a grid, legend and tooltip (canvas).
use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export type BarRow = { key: string; label: string; values: number[] };
export type BarSeries = { key: string; name: string; color: string };

/**
 * One horizontal bar per row, stacked by series (e.g. on time / at risk / breached per department).
 * Clicking a segment calls onPick(rowKey, seriesKey).
 */
export function StackedBarChart({
  rows,
  series,
  height,
  onPick,
  'data-testid': testId,
}: {
  rows: BarRow[];
  series: BarSeries[];
  height: number;
  onPick?: (rowKey: string, seriesKey: string) => void;
  'data-testid'?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!ref.current) return;
    const instance = init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    // Top row first: the category axis draws bottom-up, so the rows go in reversed.
    const ordered = [...rows].reverse();
    const option: Option = {
      animationDuration: 300,
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, data: series.map((s) => s.name) },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } } },
      yAxis: {
        type: 'category',
        data: ordered.map((r) => r.label),
        axisTick: { show: false },
        axisLabel: { width: 120, overflow: 'truncate' },
      },
      series: series.map((s, i) => ({
        type: 'bar',
        name: s.name,
        stack: 'total',
        barMaxWidth: 22,
        itemStyle: { color: s.color },
        emphasis: { focus: 'series' },
        data: ordered.map((r) => r.values[i] ?? 0),
      })),
    };
    instance.setOption(option, { notMerge: true });
    instance.off('click');
    instance.on('click', (p) => {
      const row = ordered[p.dataIndex];
      const s = series[p.seriesIndex ?? -1];
      if (row && s) pick.current?.(row.key, s.key);
    });
  }, [rows, series]);

  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} />;
}
