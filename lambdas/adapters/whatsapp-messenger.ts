import type { ChatMessage, Messenger, TemplateMessage } from '#conversations/ports.ts';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Graph's request body for a message: text, an interactive list, or a template (the Cloud API's messages). */
export function graphMessage(to: string, message: ChatMessage | { readonly template: TemplateMessage }) {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if ('template' in message)
    return {
      ...base,
      ...(message.template.callbackData ? { biz_opaque_callback_data: message.template.callbackData } : {}),
      type: 'template',
      template: {
        name: message.template.name,
        language: { code: message.template.language },
        components: [
          {
            type: 'body',
            // Meta refuses a parameter with a new line, a tab or more than four spaces in a row.
            parameters: message.template.parameters.map((text) => ({ type: 'text', text: oneLine(text) })),
          },
        ],
      },
    };
  if (message.options?.length)
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: message.text.slice(0, 1024) },
        action: {
          button: (message.choose ?? 'Choose').slice(0, 20),
          sections: [
            {
              rows: message.options
                .slice(0, 10)
                .map(({ id, title, description }) => ({ id, title, description })),
            },
          ],
        },
      },
    };
  return { ...base, type: 'text', text: { body: message.text, preview_url: false } };
}

/**
 * Sends through the WhatsApp Business Cloud API (`POST {graphApiUrl}{phoneNumberId}/messages`, a bearer access
 * token). Written by hand: sending is one HTTPS POST of the body above, which a client library would only wrap
 * (docs/conversations.md).
 */
export class WhatsAppMessenger implements Messenger {
  constructor(
    private readonly graphApiUrl: string,
    private readonly phoneNumberId: string,
    private readonly accessToken: string,
  ) {}

  async send(
    to: string,
    message: ChatMessage | { readonly template: TemplateMessage },
  ): Promise<{ id: string }> {
    const url = new URL(
      `${encodeURIComponent(this.phoneNumberId)}/messages`,
      this.graphApiUrl.endsWith('/') ? this.graphApiUrl : `${this.graphApiUrl}/`,
    );
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(graphMessage(to, message)),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json().catch(() => ({}))) as {
      messages?: { id?: string }[];
      error?: { message?: string };
    };
    if (!res.ok)
      throw new Error(
        `WhatsApp refused the message (${res.status}): ${body.error?.message ?? 'no reason given'}`,
      );
    return { id: body.messages?.[0]?.id ?? '' };
  }
}
