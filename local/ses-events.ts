import { randomBytes, randomUUID } from 'node:crypto';
import { type Clock, systemClock } from './clock.ts';
import type { SentMail, SesEngine } from './engines/ses.ts';
import type { SnsEngine } from './engines/sns.ts';
import type { LocalConfigurationSet } from './template/index.ts';

/** SES event types as event publishing names them, by CloudFormation's MatchingEventTypes name. */
const EVENT_TYPES = {
  send: 'Send',
  delivery: 'Delivery',
  bounce: 'Bounce',
  complaint: 'Complaint',
} as const;
type EventKind = keyof typeof EVENT_TYPES;

/** What the SES mailbox simulator does with a recipient. */
export type SimulatorOutcome = 'delivery' | 'bounce' | 'complaint' | 'suppressed';

/**
 * The mailbox simulator's outcome for an address (`Name <addr>` or bare; `+label` allowed): bounce@ bounces
 * (Permanent, General), complaint@ is delivered then complained about, suppressionlist@ bounces
 * (Permanent, OnAccountSuppressionList); everything else is delivered.
 */
export function simulatorOutcome(recipient: string): SimulatorOutcome {
  const address = (/<([^>]+)>/.exec(recipient)?.[1] ?? recipient).trim().toLowerCase();
  const [local = '', domain = ''] = address.split('@');
  if (domain !== 'simulator.amazonses.com') return 'delivery';
  const box = local.split('+')[0];
  if (box === 'bounce') return 'bounce';
  if (box === 'complaint') return 'complaint';
  if (box === 'suppressionlist') return 'suppressed';
  return 'delivery';
}

export interface SesEventPublisherOptions {
  readonly ses: SesEngine;
  readonly sns: SnsEngine;
  readonly configurationSets: readonly LocalConfigurationSet[];
  readonly region: string;
  readonly accountId: string;
  readonly log?: (message: string) => void;
  /** Pause after the send answered before its first event, then between events. @default 5 */
  readonly delayMs?: number;
  /** Times those pauses. @default the system clock */
  readonly clock?: Clock;
}

/**
 * SES event publishing: after a send through a configuration set with SNS event destinations, publishes the
 * records SES would (Send, then Delivery or Bounce per the mailbox simulator, then Complaint) to the
 * destinations' topics, a few milliseconds after the send answered. Each pending record counts as work in flight.
 */
export class SesEventPublisher {
  private pending = 0;
  private published = 0;
  /** Cancels the publishes still waiting. */
  private readonly timers = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: SesEventPublisherOptions) {
    this.unsubscribe = opts.ses.onSent((mail) => this.schedule(mail));
  }

  /** Event records waiting to be published. */
  inFlight(): number {
    return this.pending;
  }

  /** Grows with every record scheduled. */
  activity(): number {
    return this.published;
  }

  stop(): void {
    this.unsubscribe();
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.pending = 0;
  }

  private schedule(mail: SentMail): void {
    const set = this.opts.configurationSets.find((c) => c.name === mail.configurationSetName);
    const destinations = (set?.eventDestinations ?? []).filter((d) => d.enabled);
    if (!set || destinations.length === 0) return;
    const step = this.opts.delayMs ?? 5;
    const records = eventRecords(mail, {
      region: this.opts.region,
      accountId: this.opts.accountId,
      configurationSet: set.name,
    });
    for (const [i, record] of records.entries()) {
      const kind = record.kind;
      for (const destination of destinations) {
        if (!destination.matchingEventTypes.includes(kind)) continue;
        this.pending++;
        this.published++;
        const cancel = (this.opts.clock ?? systemClock).timeout(
          () => {
            this.timers.delete(cancel);
            try {
              this.opts.sns.publish({ topicArn: destination.topicArn, message: JSON.stringify(record.body) });
            } catch (err) {
              this.opts.log?.(
                `SES event ${EVENT_TYPES[kind]} for ${mail.messageId} not published to ${destination.topicArn}: ${(err as Error).message}`,
              );
            } finally {
              this.pending--;
            }
          },
          step * (i + 1),
        );
        this.timers.add(cancel);
      }
    }
  }
}

/** The event records SES publishes for a sent mail, in order, shaped as SES event publishing shapes them. */
export function eventRecords(
  mail: SentMail,
  ctx: { region: string; accountId: string; configurationSet: string },
): { kind: EventKind; body: Record<string, unknown> }[] {
  const sentAt = Date.parse(mail.timestamp);
  const at = (ms: number) => new Date(sentAt + ms).toISOString();
  const sourceAddress = (/<([^>]+)>/.exec(mail.source)?.[1] ?? mail.source).trim();
  const fromDomain = sourceAddress.split('@')[1] ?? '';
  const tags: Record<string, string[]> = {
    'ses:operation': [mail.api.replace(/^v2\./, '')],
    'ses:configuration-set': [ctx.configurationSet],
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [fromDomain],
    'ses:caller-identity': ['local'],
  };
  for (const [name, value] of Object.entries(mail.tags)) tags[name] = [value];
  const mailObject = {
    timestamp: mail.timestamp,
    source: mail.source,
    sourceArn: `arn:aws:ses:${ctx.region}:${ctx.accountId}:identity/${fromDomain || sourceAddress}`,
    sendingAccountId: ctx.accountId,
    messageId: mail.messageId,
    destination: mail.destination,
    headersTruncated: false,
    headers: mail.headers,
    commonHeaders: mail.commonHeaders,
    tags,
  };
  const bare = (r: string) => (/<([^>]+)>/.exec(r)?.[1] ?? r).trim();
  const byOutcome = (...outcomes: SimulatorOutcome[]) =>
    mail.destination.filter((r) => outcomes.includes(simulatorOutcome(r))).map(bare);
  const delivered = byOutcome('delivery', 'complaint');
  const bounced = byOutcome('bounce');
  const suppressed = byOutcome('suppressed');
  const complained = byOutcome('complaint');
  const feedbackId = () => `${randomBytes(8).toString('hex')}-${randomUUID()}-000000`;

  const records: { kind: EventKind; body: Record<string, unknown> }[] = [
    { kind: 'send', body: { eventType: 'Send', mail: mailObject, send: {} } },
  ];
  if (delivered.length > 0) {
    records.push({
      kind: 'delivery',
      body: {
        eventType: 'Delivery',
        mail: mailObject,
        delivery: {
          timestamp: at(500),
          processingTimeMillis: 500,
          recipients: delivered,
          smtpResponse: '250 2.6.0 Message received',
          reportingMTA: 'local.smtp-out.amazonses.com',
        },
      },
    });
  }
  const bounce = (recipients: string[], subType: string, diagnosticCode: string, reporting: boolean) => ({
    kind: 'bounce' as const,
    body: {
      eventType: 'Bounce',
      mail: mailObject,
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: subType,
        bouncedRecipients: recipients.map((emailAddress) => ({
          emailAddress,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode,
        })),
        timestamp: at(500),
        feedbackId: feedbackId(),
        ...(reporting ? { reportingMTA: 'dsn; local.smtp-out.amazonses.com' } : {}),
      },
    },
  });
  if (bounced.length > 0) {
    records.push(bounce(bounced, 'General', 'smtp; 550 5.1.1 user unknown', true));
  }
  if (suppressed.length > 0) {
    records.push(
      bounce(
        suppressed,
        'OnAccountSuppressionList',
        'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
        false,
      ),
    );
  }
  if (complained.length > 0) {
    records.push({
      kind: 'complaint',
      body: {
        eventType: 'Complaint',
        mail: mailObject,
        complaint: {
          complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
          timestamp: at(1000),
          feedbackId: feedbackId(),
          userAgent: 'Amazon SES Mailbox Simulator',
          complaintFeedbackType: 'abuse',
          arrivalDate: at(1000),
        },
      },
    });
  }
  return records;
}
