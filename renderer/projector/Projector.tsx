import { useEffect, useState } from 'react';
import type { ProjectorView } from '../../shared/protocol';
import { useInstructorSocket } from '../ui/hooks/useInstructorSocket';
import { ProjectorStage } from './ProjectorStage';

/** The projector page: the 1920×1080 stage (ProjectorStage.tsx) scaled to whatever display it is on. */
export function Projector() {
  const { view, status } = useInstructorSocket<ProjectorView>('projector');
  const scale = useStageScale();
  return (
    <div className="viewport">
      <div className="stage-frame" style={{ transform: `translate(-50%, -50%) scale(${scale})` }}>
        <ProjectorStage view={view} offline={status !== 'open'} />
      </div>
    </div>
  );
}

function useStageScale(): number {
  const [scale, setScale] = useState(1);
  useEffect(() => {
    const fit = () => setScale(Math.min(window.innerWidth / 1920, window.innerHeight / 1080));
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, []);
  return scale;
}
