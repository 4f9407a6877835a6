import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, LinearScale } from 'chart.js';
import type { BarsResults } from '../../shared/results';

Chart.register(BarController, BarElement, CategoryScale, LinearScale);

interface Props {
  results: BarsResults;
  /** Larger type for the projector. */
  big?: boolean;
  label?: string;
}

const BAR = '#4f8fd6';
const CORRECT = '#2e9d5b';

/** Live answer counts as a bar chart; updated in place so it does not flicker as answers arrive. */
export function ResultsChart({ results, big = false, label = 'Answers' }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'> | null>(null);
  const fontSize = big ? 36 : 14;

  useEffect(() => {
    if (!canvas.current) return;
    // Canvas text does not inherit CSS colour: take the page's text colour explicitly.
    const color = getComputedStyle(canvas.current).color || '#f3f5f8';
    const grid = 'rgba(169, 180, 194, 0.25)';
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data: { labels: [], datasets: [{ label, data: [], backgroundColor: [] }] },
      options: {
        indexAxis: 'y',
        animation: { duration: 150 },
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0, font: { size: fontSize }, color }, grid: { color: grid } },
          y: { ticks: { font: { size: fontSize }, color }, grid: { color: grid } },
        },
      },
    });
    return () => chart.current?.destroy();
  }, [fontSize, label]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.labels = results.labels.map((l) => (l.length > 40 ? `${l.slice(0, 39)}…` : l));
    c.data.datasets[0].data = results.counts;
    c.data.datasets[0].backgroundColor = results.labels.map((l) => (results.correct?.includes(l) ? CORRECT : BAR));
    c.update();
  }, [results]);

  return (
    <figure className="results-chart" aria-label={`${label}: ${results.answered} answered`}>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={results.labels.map((l, i) => `${l}: ${results.counts[i]}`).join(', ')} />
      </div>
      {/* The counts as text too: readable without the chart, and what screen readers and tests read. */}
      <table className="results-table">
        <tbody>
          {results.labels.map((l, i) => (
            <tr key={l} className={results.correct?.includes(l) ? 'correct' : undefined}>
              <th scope="row">{l}</th>
              <td data-testid={`count-${i}`}>{results.counts[i]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
