import type http from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express from 'express';

/** Bull Board for regwire's queues as a request listener mounted at `/admin/queues`. */
export function createAdminDashboard(queues: readonly Queue[]): http.RequestListener {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/admin/queues');
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'regwire queues' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use('/admin/queues', serverAdapter.getRouter());
  return app as unknown as http.RequestListener;
}
