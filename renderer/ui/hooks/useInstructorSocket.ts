import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstructorCommand, ServerToInstructor } from '../../../shared/protocol';
import { applyTraineeChanges, withTrainees } from '../../../shared/console-delta';
import type { ConsoleTrainees, ConsoleViewWire, TraineeRows } from '../../../shared/console-delta';
import { newId } from '../ids';

export type Status = 'connecting' | 'open' | 'closed';

/**
 * The console's or projector's socket to the loopback server, with the token from the page URL.
 * Reconnects on its own; the server sends the full view on every (re)connection. The console's
 * trainee list arrives as changes (shared/console-delta.ts) and is put back into each view here.
 */
export function useInstructorSocket<V extends ServerToInstructor>(role: 'console' | 'projector') {
  const [view, setView] = useState<V | null>(null);
  const [status, setStatus] = useState<Status>('connecting');
  const [lastError, setLastError] = useState<string | null>(null);
  const wsRef = useRef<WebSocket | null>(null);
  const token = new URLSearchParams(location.search).get('token') ?? '';

  useEffect(() => {
    let stopped = false;
    let retry = 0;
    let timer: number | undefined;
    const rows: TraineeRows = new Map();
    const connect = () => {
      setStatus('connecting');
      const ws = new WebSocket(
        `ws://${location.host}/ws/instructor?role=${role}&token=${encodeURIComponent(token)}`,
      );
      wsRef.current = ws;
      ws.onopen = () => {
        retry = 0;
        setStatus('open');
      };
      ws.onmessage = (e) => {
        const m = JSON.parse(String(e.data)) as ServerToInstructor | ConsoleTrainees;
        if (m.t === 'console-trainees') applyTraineeChanges(rows, m);
        else if (m.t === 'console')
          setView(withTrainees(m as unknown as ConsoleViewWire, rows) as V);
        else if (m.t === 'result') {
          if (!m.ok) setLastError(m.error ?? 'the command failed');
          else setLastError(null);
        } else if (m.t === 'error') setLastError(m.message);
        else setView(m as V);
      };
      ws.onclose = () => {
        setStatus('closed');
        if (stopped) return;
        timer = window.setTimeout(connect, Math.min(5000, 250 * 2 ** retry++));
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      wsRef.current?.close();
    };
  }, [role, token]);

  const command = useCallback((cmd: InstructorCommand) => {
    const ws = wsRef.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      setLastError('not connected to the Muster server');
      return;
    }
    ws.send(JSON.stringify({ t: 'cmd', id: newId(), cmd }));
  }, []);

  return { view, status, command, lastError, token };
}
