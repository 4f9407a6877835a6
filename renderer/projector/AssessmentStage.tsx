import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale } from 'chart.js';
import type { ProjectorView } from '../../shared/protocol';
import { wrapLabel } from '../ui/wrap-label';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend);

type StageAssessment = NonNullable<ProjectorView['assessment']>;
type Gain = NonNullable<StageAssessment['gain']>;

const PRE = '#8a97a8';
const POST = '#2e9d5b';
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x)}%`);

/**
 * The projector during a self-paced assessment: what to do and how many have handed in (counts
 * only, never who); then, when the instructor shows it, the class's knowledge gain.
 */
export function AssessmentStage({ a }: { a: StageAssessment }) {
  if (a.gain) return <GainView gain={a.gain} />;
  const share = a.joined ? a.submitted / a.joined : 0;
  return (
    <div className="assessment-screen">
      <h1>{a.title}</h1>
      {a.open ? (
        <p className="a-lead">
          Answer on your phone, at your own pace. Review your answers, then press Submit.
        </p>
      ) : (
        <p className="a-lead">The {a.title.toLowerCase()} is closed. Thank you.</p>
      )}
      <p className="a-count" aria-live="polite">
        <strong>{a.submitted}</strong> of {a.joined} submitted
      </p>
      <div
        className="a-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={a.joined}
        aria-valuenow={a.submitted}
        aria-label="Submitted"
      >
        <div style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <p className="a-sub">{a.questions} questions</p>
    </div>
  );
}

function GainView({ gain }: { gain: Gain }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current || !gain.byTag.length) return;
    const color = getComputedStyle(canvas.current).color || '#f3f5f8';
    const grid = 'rgba(169, 180, 194, 0.25)';
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: gain.byTag.slice(0, 8).map((t) => wrapLabel(t.tag.replace(/-/g, ' '), 16)),
        datasets: [
          {
            label: gain.pretestTitle,
            data: gain.byTag.slice(0, 8).map((t) => t.pre ?? 0),
            backgroundColor: PRE,
          },
          {
            label: gain.posttestTitle,
            data: gain.byTag.slice(0, 8).map((t) => t.post ?? 0),
            backgroundColor: POST,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { labels: { font: { size: 30 }, color } } },
        scales: {
          x: {
            min: 0,
            max: 100,
            ticks: { font: { size: 28 }, color, callback: (v) => `${v}%` },
            grid: { color: grid },
          },
          y: { ticks: { font: { size: 30 }, color, autoSkip: false }, grid: { color: grid } },
        },
      },
    });
    return () => chart.destroy();
  }, [gain]);
  return (
    <div className="gain-screen">
      <h1>Knowledge gain</h1>
      <div className="gain-figures">
        <figure>
          <span className="gain-num">{pct(gain.preMean)}</span>
          <figcaption>{gain.pretestTitle}</figcaption>
        </figure>
        <span className="gain-arrow" aria-hidden="true">
          →
        </span>
        <figure>
          <span className="gain-num post">{pct(gain.postMean)}</span>
          <figcaption>{gain.posttestTitle}</figcaption>
        </figure>
        <figure>
          <span className="gain-num up">
            {gain.gain === null ? '—' : `${gain.gain > 0 ? '+' : ''}${Math.round(gain.gain)}`}
          </span>
          <figcaption>points gained</figcaption>
        </figure>
      </div>
      <p className="gain-note">
        Class average of the {gain.matched} {gain.matched === 1 ? 'trainee' : 'trainees'} who took
        both tests
      </p>
      {gain.byTag.length > 0 && (
        <p className="gain-chart-title">Share correct by topic, weakest first</p>
      )}
      {gain.byTag.length > 0 && (
        <div className="gain-chart">
          <canvas
            ref={canvas}
            role="img"
            aria-label={gain.byTag
              .map((t) => `${t.tag}: ${pct(t.pre)} to ${pct(t.post)}`)
              .join(', ')}
          />
        </div>
      )}
    </div>
  );
}
