import { describe, expect, it } from 'vitest';
import { graphMessage } from '#adapters/whatsapp-messenger.ts';
import {
  invitationCallback,
  invitationStatusesOf,
  messagesOf,
  whatsappPayloadSchema,
} from '#conversations/rules/whatsapp.ts';

const payload = (value: Record<string, unknown>) =>
  whatsappPayloadSchema.parse({
    object: 'whatsapp_business_account',
    entry: [{ changes: [{ field: 'messages', value: { metadata: { phone_number_id: '105' }, ...value } }] }],
  });

describe("Meta's webhook payload", () => {
  it('reads text, a tapped list row and a button as the reply', () => {
    const messages = messagesOf(
      payload({
        messages: [
          { from: '5215512345678', id: 'wamid.1', type: 'text', text: { body: 'nueve' } },
          {
            from: '5215512345678',
            id: 'wamid.2',
            type: 'interactive',
            interactive: { list_reply: { id: 'csat:4', title: '4' } },
          },
          { from: '5215512345678', id: 'wamid.3', type: 'button', button: { text: 'Sí', payload: 'yes' } },
        ],
      }),
    );
    expect(messages.map((m) => [m.id, m.text, m.phoneNumberId])).toEqual([
      ['wamid.1', 'nueve', '105'],
      ['wamid.2', '4', '105'],
      ['wamid.3', 'Sí', '105'],
    ]);
  });

  it('reads the statuses of invitations as reach milestones, and leaves the others', () => {
    const callback = invitationCallback('spring', 'c-1');
    const statuses = invitationStatusesOf(
      payload({
        statuses: [
          { id: 'wamid.a', status: 'read', timestamp: '1764756000', biz_opaque_callback_data: callback },
          { id: 'wamid.a', status: 'delivered', biz_opaque_callback_data: callback },
          { id: 'wamid.b', status: 'failed', biz_opaque_callback_data: callback },
          { id: 'wamid.c', status: 'sent', biz_opaque_callback_data: callback },
          { id: 'wamid.d', status: 'delivered' },
          { id: 'wamid.e', status: 'delivered', biz_opaque_callback_data: 'inv:spring' },
        ],
      }),
    );
    expect(statuses.map((s) => s.milestones)).toEqual([['delivered', 'opened'], ['delivered'], ['bounced']]);
    expect(statuses[0]).toMatchObject({
      campaignId: 'spring',
      contactId: 'c-1',
      at: new Date(1764756000 * 1000),
    });
    expect(statuses[1]?.at).toBeUndefined();
  });

  it('refuses a payload that is not a WhatsApp Business account one', () => {
    expect(whatsappPayloadSchema.safeParse({ object: 'page', entry: [] }).success).toBe(false);
  });
});

describe("the Graph API's message bodies", () => {
  it('writes a template parameter on one line, as Meta refuses new lines, tabs and runs of spaces in one', () => {
    const body = graphMessage('521', {
      template: {
        name: 'pulso_survey',
        language: 'es',
        parameters: ['¿Nos recomendaría?\n\nResponde\tdel 0     al 10.'],
      },
    });
    expect(body).toMatchObject({
      template: { components: [{ parameters: [{ text: '¿Nos recomendaría? Responde del 0 al 10.' }] }] },
    });
  });

  it('sends the template with its question and the invitation it opens, a list with its rows, and text', () => {
    expect(
      graphMessage('521', {
        template: { name: 'pulso_survey', language: 'es', parameters: ['¿9?'], callbackData: 'inv:a:b' },
      }),
    ).toMatchObject({
      to: '521',
      type: 'template',
      biz_opaque_callback_data: 'inv:a:b',
      template: {
        name: 'pulso_survey',
        language: { code: 'es' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: '¿9?' }] }],
      },
    });
    const list = graphMessage('521', {
      text: 'CSAT',
      choose: 'Elegir',
      options: [{ id: 'csat:1', title: '1', description: 'Muy insatisfecho' }],
    });
    expect(list).toMatchObject({
      type: 'interactive',
      interactive: { type: 'list', action: { button: 'Elegir', sections: [{ rows: [{ id: 'csat:1' }] }] } },
    });
    expect(graphMessage('521', { text: 'Gracias' })).toMatchObject({
      type: 'text',
      text: { body: 'Gracias', preview_url: false },
    });
  });
});
