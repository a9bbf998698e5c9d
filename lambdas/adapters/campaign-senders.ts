import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import type { CampaignMailer, SmsSender } from '#invitations/ports.ts';
import { PermanentSendError } from '#invitations/use-cases/send-invitations.ts';
import { requireEnv } from './dynamodb/client.ts';
import { SesRawMailer } from './ses-raw-mailer.ts';
import { SnsSmsSender } from './sns-sms.ts';

/** Provider errors that no retry can mend: the one message fails, the campaign goes on. */
const PERMANENT = new Set([
  'MessageRejected',
  'InvalidParameterValue',
  'InvalidParameter',
  'InvalidParameterException',
]);

function permanent<T extends object>(send: (x: T) => Promise<{ readonly messageId: string }>) {
  return async (x: T) => {
    try {
      return await send(x);
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      if (PERMANENT.has(name)) throw new PermanentSendError(`${name}: ${(err as Error).message}`);
      throw err;
    }
  };
}

/** The invitation mailer: SES raw email from MAIL_FROM through the configuration set SES_CONFIGURATION_SET. */
export function campaignMailer(): CampaignMailer {
  const mailer = new SesRawMailer(
    new SESClient({}),
    requireEnv('MAIL_FROM'),
    process.env.SES_CONFIGURATION_SET,
  );
  return { send: permanent((m) => mailer.send(m)) };
}

export function smsSender(): SmsSender {
  const sender = new SnsSmsSender(new SNSClient({}));
  return { send: permanent((s) => sender.send(s)) };
}
