import { useEffect, useMemo, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, LinearScale } from 'chart.js';
import type { HistogramResults } from '../../shared/results';
import { binInBand, fmt, revealedBand } from '../../shared/results';

Chart.register(BarController, BarElement, CategoryScale, LinearScale);

interface Props {
  results: HistogramResults;
  big?: boolean;
}

const BAR = '#4f8fd6';
const OUTLIER = '#7d8896';
const CORRECT = '#2e9d5b';

/**
 * Numeric answers as a histogram (chart.js bars, one per bin), with the mean and median, and once
 * results are shown the correct value and its tolerance band (the bins inside it turn green).
 */
export function Histogram({ results, big = false }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'> | null>(null);
  const fontSize = big ? 32 : 13;
  const band = useMemo(() => revealedBand(results), [results]);
  const unit = results.unit ? ` ${results.unit}` : '';

  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          {
            label: 'Answers',
            data: [],
            backgroundColor: [],
            categoryPercentage: 0.92,
            barPercentage: 0.96,
          },
        ],
      },
      options: {
        animation: { duration: 150 },
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: {
          x: {
            ticks: { font: { size: fontSize }, maxRotation: 0, autoSkip: true },
            grid: { display: false },
          },
          y: { beginAtZero: true, ticks: { precision: 0, font: { size: fontSize } } },
        },
      },
    });
    return () => chart.current?.destroy();
  }, [fontSize]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !canvas.current) return;
    // Canvas text does not inherit CSS colour: read the theme's colour each time (the theme can change).
    const color = getComputedStyle(canvas.current).color || '#f3f5f8';
    const grid = 'rgba(169, 180, 194, 0.25)';
    for (const axis of ['x', 'y'] as const) {
      const s = c.options.scales![axis]!;
      s.ticks!.color = color;
      s.grid!.color = grid;
    }
    c.data.labels = results.bins.map((b) => b.label);
    c.data.datasets[0].data = results.bins.map((b) => b.count);
    c.data.datasets[0].backgroundColor = results.bins.map((b) =>
      band && binInBand(b, band) ? CORRECT : b.outlier ? OUTLIER : BAR,
    );
    c.update();
  }, [results, band]);

  return (
    <figure
      className={`results-chart results-histogram ${big ? 'big' : ''}`}
      aria-label={`Numeric answers: ${results.answered} answered`}
    >
      <table className="results-table results-stats-table">
        <tbody>
          <tr>
            <th scope="row">Mean</th>
            <td data-testid="mean">{results.mean === null ? '–' : fmt(results.mean) + unit}</td>
          </tr>
          <tr>
            <th scope="row">Median</th>
            <td data-testid="median">
              {results.median === null ? '–' : fmt(results.median) + unit}
            </td>
          </tr>
          {band && (
            <tr className="correct-value">
              <th scope="row">Correct</th>
              <td data-testid="correct-value">
                {fmt(band.value, 6)}
                {unit}
                {band.hi > band.lo && (
                  <span className="tolerance"> ± {fmt(results.tolerance ?? 0, 6)}</span>
                )}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="histogram-row">
        <div className="chart-box">
          <canvas
            ref={canvas}
            role="img"
            aria-label={results.bins.map((b) => `${b.label}: ${b.count}`).join(', ')}
          />
        </div>
        <table className="results-table bins-table">
          <thead>
            <tr>
              <th scope="col">{results.unit ? `Answer (${results.unit})` : 'Answer'}</th>
              <th scope="col" className="num">
                Count
              </th>
            </tr>
          </thead>
          <tbody>
            {results.bins.map((b) => (
              <tr key={b.label} className={band && binInBand(b, band) ? 'in-band' : undefined}>
                <th scope="row">{b.label}</th>
                <td>{b.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
