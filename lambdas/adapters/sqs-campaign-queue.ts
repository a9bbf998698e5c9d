import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CampaignQueue } from '#invitations/ports.ts';
import type { CampaignMessage } from '#invitations/rules/campaigns.ts';
import { chunk } from '#invitations/rules/campaigns.ts';

/** The campaign queue: messages go ten to a request, and what SQS leaves unsent is sent again. */
export class SqsCampaignQueue implements CampaignQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: readonly CampaignMessage[]): Promise<void> {
    for (const batch of chunk(messages, 10)) {
      let entries = batch.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        if (attempt > 5) throw new Error(`SQS kept ${entries.length} campaign messages unsent`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const out = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }
}
