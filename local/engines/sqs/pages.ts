import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../sns.ts';
import type { QueueStore } from './store.ts';
import type { SqsQueueSummary } from './types.ts';

/**
 * The engine's own pages (not SQS actions): `GET /` lists the queues and their counts (an HTML page, or JSON with
 * `Accept: application/json`), `GET /<account>/<name>` one queue with its messages as JSON.
 */
export function servePage(store: QueueStore, path: string, json: boolean, res: ServerResponse): void {
  if (path === '/') {
    const list = [...store.queues.values()].map((q) => store.summary(q));
    if (json) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ queues: list }));
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(queuesPage(list));
    }
    return;
  }
  const name = store.resolve(`${store.baseUrl}${path.slice(1)}`);
  const q = name ? store.queues.get(name) : undefined;
  if (q) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({ ...store.summary(q), messageList: store.peek(q).map(({ extra: _extra, ...m }) => m) }),
    );
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
}

function queuesPage(list: readonly SqsQueueSummary[]): string {
  const rows = list
    .map((q) => {
      const redrive = q.attributes.RedrivePolicy
        ? (JSON.parse(q.attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number })
        : undefined;
      const dlq = redrive
        ? `${escapeHtml(redrive.deadLetterTargetArn.split(':').pop() ?? '')} after ${redrive.maxReceiveCount}`
        : '';
      return (
        `<tr><td><a href="/${escapeHtml(q.url.split('/').slice(-2).join('/'))}">${escapeHtml(q.name)}</a></td>` +
        `<td>${q.messages.visible}</td><td>${q.messages.inFlight}</td><td>${q.messages.delayed}</td>` +
        `<td>${escapeHtml(q.attributes.VisibilityTimeout ?? '')} s</td><td>${dlq}</td></tr>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pulso local SQS (${list.length} queues)</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left}
</style></head><body>
<h1>Local SQS queues</h1>
<p><a href="/">Refresh</a>. JSON: <code>GET /</code> with <code>Accept: application/json</code>; a queue's messages at its link.</p>
<table><thead><tr><th>Queue</th><th>Visible</th><th>In flight</th><th>Delayed</th><th>Visibility</th><th>Dead-letter queue</th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">No queues.</td></tr>'}</tbody></table>
</body></html>`;
}
