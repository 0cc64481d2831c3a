// The stock y-websocket server (@y/websocket-server 0.1.1) as its README runs it: no persistence.
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { serve } from './serve-ws.js';

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
serve(wss);
