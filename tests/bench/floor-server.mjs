// The machine's floor: a bare `ws` server that broadcasts one serialised buffer to every socket
// when its control socket asks. Same sockets, same processes, no application work.
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  if (req.url === '/control') {
    ws.on('message', (data) => {
      const buf = Buffer.from(JSON.stringify({ t: 'view', phase: 'question', payload: String(data) }));
      for (const c of wss.clients) if (c !== ws && c.readyState === 1) c.send(buf, { binary: false });
      ws.send('done');
    });
  }
});
wss.on('listening', () => console.log(JSON.stringify({ port: wss.address().port })));
process.on('SIGTERM', () => process.exit(0));
