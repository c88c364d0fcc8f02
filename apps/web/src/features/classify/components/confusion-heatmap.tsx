import { HeatmapChart, type HeatmapSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption, TooltipComponent, type TooltipComponentOption, VisualMapComponent, type VisualMapComponentOption } from 'echarts/components';
import { type ComposeOption, type ECharts, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type Option = ComposeOption<HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>;

/**
 * The confusion matrix of a classifier as a heatmap: one row per true label (top to bottom), one
 * column per predicted label; the diagonal is what it got right.
 */
export function ConfusionHeatmap({
  labels,
  matrix,
  actualTitle,
  predictedTitle,
  tooltip,
  'data-testid': testId,
}: {
  labels: string[];
  matrix: number[][];
  actualTitle: string;
  predictedTitle: string;
  tooltip: (actual: string, predicted: string, count: number) => string;
  'data-testid'?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const height = Math.max(320, 140 + labels.length * 18);

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
    // Rows share their colour scale: the share of a true label predicted as each column.
    const data: [number, number, number, number][] = [];
    let maxShare = 0;
    matrix.forEach((row, a) => {
      const total = row.reduce((s, x) => s + x, 0);
      row.forEach((count, p) => {
        if (count === 0) return;
        const share = total === 0 ? 0 : count / total;
        maxShare = Math.max(maxShare, share);
        // y index reversed so the first label is the top row.
        data.push([p, labels.length - 1 - a, share, count]);
      });
    });
    const reversed = [...labels].reverse();
    const short = (s: string) => (s.length > 10 ? `${s.slice(0, 9)}…` : s);
    const option: Option = {
      animation: false,
      grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
      tooltip: {
        formatter: (params) => {
          const v = (params as unknown as { value: [number, number, number, number] }).value;
          return tooltip(reversed[v[1]] ?? '', labels[v[0]] ?? '', v[3]);
        },
      },
      xAxis: { type: 'category', data: labels, name: predictedTitle, nameLocation: 'middle', nameGap: 36, axisLabel: { rotate: 60, interval: 0, fontSize: 10, formatter: short }, splitArea: { show: true } },
      yAxis: { type: 'category', data: reversed, name: actualTitle, axisLabel: { interval: 0, fontSize: 10, formatter: short }, splitArea: { show: true } },
      visualMap: { min: 0, max: Math.max(0.01, maxShare), dimension: 2, show: false, inRange: { color: ['#e6f4ff', '#1677ff', '#002c8c'] } },
      series: [{ type: 'heatmap', data, label: { show: labels.length <= 20, fontSize: 10, formatter: (p) => String((p.value as number[])[3]) } }],
    };
    instance.setOption(option, true);
  }, [labels, matrix, actualTitle, predictedTitle, tooltip]);

  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} />;
}
