// The machine's floor: a bare `ws` server that speaks just enough of the trainee protocol for the
// bench's phones (the same worker code that drives Muster) and does no application work:
// - a `join` gets a `welcome` at once (no identity, no records, no fsync);
// - the control socket's message is broadcast to every phone as one serialised buffer, shaped as
//   an open question so the phones record its arrival;
// - an `answer` gets an `ack` at once and is counted; when the count reaches what the control
//   socket asked for, the control socket is told at once (no coalescing).
// Same sockets, same processes, same machine: what Muster adds is what it costs above this.
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  perMessageDeflate: false,
  backlog: 4096,
});
let control = null;
let expected = 0;
let answered = 0;
wss.on('connection', (ws, req) => {
  if (req.url === '/control') {
    control = ws;
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      if (m.expect !== undefined) {
        expected = m.expect;
        answered = 0;
        return ws.send(JSON.stringify({ armed: true }));
      }
      const buf = Buffer.from(
        JSON.stringify({
          t: 'view',
          phase: 'question',
          question: { open: true, runId: `floor${m.round}`, q: m.q },
        }),
      );
      for (const c of wss.clients)
        if (c !== ws && c.readyState === 1) c.send(buf, { binary: false });
      ws.send(JSON.stringify({ done: m.round }));
    });
    return;
  }
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.t === 'join')
      ws.send(
        JSON.stringify({
          t: 'welcome',
          token: 'floor',
          trainee: { id: 'floor', name: m.name, officerId: m.officerId, agency: m.agency },
        }),
      );
    else if (m.t === 'answer') {
      ws.send(JSON.stringify({ t: 'ack', id: m.id, runId: m.runId }));
      if (++answered === expected && control?.readyState === 1)
        control.send(JSON.stringify({ answered }));
    }
  });
});
wss.on('listening', () => console.log(JSON.stringify({ port: wss.address().port })));
process.on('SIGTERM', () => process.exit(0));
