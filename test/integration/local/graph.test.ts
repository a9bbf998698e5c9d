import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyMeta } from '#http/vendor-signatures.ts';
import { type GraphEngine, startGraphEngine } from '#local/engines/graph.ts';

const TOKEN = 'local-access-token';
const APP_SECRET = '0123456789abcdef0123456789abcdef';
let graph: GraphEngine;
let hook: Server;
const delivered: { body: string; verified: boolean }[] = [];

beforeAll(async () => {
  // Stands in for Pulso's webhook: it records what arrives and whether Meta's signature holds.
  hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = true;
      try {
        verifyMeta(body, req.headers as Record<string, string>, [APP_SECRET]);
      } catch {
        verified = false;
      }
      delivered.push({ body, verified });
      res.writeHead(verified ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const { port } = hook.address() as AddressInfo;
  graph = await startGraphEngine({
    port: 0,
    accessToken: TOKEN,
    phoneNumberId: '1055500000',
    webhook: { url: `http://127.0.0.1:${port}/v1/webhooks/whatsapp`, appSecret: APP_SECRET },
  });
});

afterAll(async () => {
  await graph?.stop();
  await new Promise((resolve) => hook?.close(resolve));
});

const send = (body: unknown, { token = TOKEN, phone = '1055500000' } = {}) =>
  fetch(new URL(`v21.0/${phone}/messages`, graph.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the local WhatsApp Graph API', () => {
  it('takes a message as the Cloud API does, answers its wamid, and lists it as JSON', async () => {
    const res = await send({
      messaging_product: 'whatsapp',
      to: '5215512345678',
      type: 'text',
      text: { body: 'Hola' },
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { messages: { id: string }[] };
    expect(answer.messages[0]?.id).toMatch(/^wamid\./);
    const listed = (await (await fetch(new URL('messages', graph.url))).json()) as {
      messages: { id: string; to: string }[];
    };
    expect(listed.messages.at(-1)).toMatchObject({
      id: answer.messages[0]?.id,
      to: '5215512345678',
      type: 'text',
    });
  });

  it.each([
    ['a wrong access token', { token: 'nope' }, 401],
    ['an unknown phone number id', { phone: '999' }, 400],
  ])('refuses %s as Graph does', async (_, opts, status) => {
    const res = await send(
      { messaging_product: 'whatsapp', to: '5215512345678', type: 'text', text: { body: 'x' } },
      opts,
    );
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBeGreaterThan(0);
  });

  it.each([
    ['not JSON', '{'],
    ['no messaging_product', { to: '5215512345678', type: 'text', text: { body: 'x' } }],
    [
      'a type without its content',
      { messaging_product: 'whatsapp', to: '5215512345678', type: 'interactive' },
    ],
    [
      'a recipient that is not a number',
      { messaging_product: 'whatsapp', to: 'ana', type: 'text', text: { body: 'x' } },
    ],
  ])('answers 400 for %s', async (_, body) => {
    expect((await send(body)).status).toBe(400);
  });

  it('shows the messages in an inbox page, customer text inert', async () => {
    await send({
      messaging_product: 'whatsapp',
      to: '5215512345678',
      type: 'text',
      text: { body: '<script>alert(1)</script>' },
    });
    const html = await (await fetch(graph.url)).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('delivers a customer reply to the webhook as Meta does, signed over its raw bytes', async () => {
    const res = await graph.reply({ from: '5215512345678', text: 'Ótimo atendimento 👍, não demorou' });
    expect(res.status).toBe(200);
    const last = delivered.at(-1);
    expect(last?.verified).toBe(true);
    const payload = JSON.parse(last?.body ?? '{}');
    const message = payload.entry[0].changes[0].value.messages[0];
    expect(message).toMatchObject({
      from: '5215512345678',
      type: 'text',
      text: { body: 'Ótimo atendimento 👍, não demorou' },
    });
    expect(message.id).toMatch(/^wamid\./);
    await graph.reply({ from: '5215512345678', choice: { id: 'csat:4', title: '4' } });
    expect(
      JSON.parse(delivered.at(-1)?.body ?? '{}').entry[0].changes[0].value.messages[0].interactive,
    ).toEqual({
      type: 'list_reply',
      list_reply: { id: 'csat:4', title: '4' },
    });
  });
});
