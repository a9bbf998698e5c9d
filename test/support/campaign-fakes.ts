import type {
  CampaignMailer,
  CampaignQueue,
  CampaignStore,
  ContactStore,
  FatigueStore,
  InvitationMail,
  InvitationStore,
  InvitationTransition,
  Sms,
  SmsSender,
  SuppressionStore,
} from '#invitations/ports.ts';
import type {
  Campaign,
  CampaignMessage,
  Invitation,
  InvitationEvent,
  Milestone,
  ReminderState,
  SuppressionReason,
} from '#invitations/rules/campaigns.ts';
import type { Contact } from '#invitations/rules/contacts.ts';
import { type FatigueClaim, quietUntil } from '#invitations/rules/fatigue.ts';

export { MemorySigningKeyStore } from './link-fakes.ts';

/** In-memory fakes of the campaign ports, with the same conditional semantics as the DynamoDB adapters. */
export class MemoryCampaignStore implements CampaignStore {
  readonly items = new Map<string, Campaign>();
  async create(c: Campaign) {
    if (this.items.has(c.campaignId)) throw new Error('taken');
    this.items.set(c.campaignId, c);
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async list() {
    return [...this.items.values()];
  }
  async start(id: string, at: Date) {
    const c = this.items.get(id);
    if (c?.status !== 'draft') return false;
    this.items.set(id, { ...c, status: 'sending', startedAt: at.toISOString() });
    return true;
  }
  async audiencePageDone(id: string, page: number, last: boolean) {
    const c = this.items.get(id);
    if (!c || c.audiencePages !== page) return false;
    this.items.set(id, { ...c, audiencePages: page + 1, audienceDone: last });
    return true;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class MemoryInvitationStore implements InvitationStore {
  readonly items = new Map<string, Mutable<Invitation> & Record<string, unknown>>();
  /** Every event written, in order: what the stream would carry. */
  readonly events: Array<{ contactId: string; event: InvitationEvent }> = [];
  /** Throws instead of making this transition (a crash at that point). */
  failOn?: (contactId: string, t: InvitationTransition) => boolean;

  private key = (campaignId: string, contactId: string) => `${campaignId}/${contactId}`;
  private record(inv: Invitation, event: InvitationEvent) {
    this.events.push({ contactId: inv.contactId, event });
  }

  async createMissing(invitations: readonly Invitation[]) {
    for (const inv of invitations) {
      const k = this.key(inv.campaignId, inv.contactId);
      if (this.items.has(k)) continue;
      this.items.set(k, { ...inv });
      this.record(inv, inv.event);
    }
  }
  async get(campaignId: string, contactId: string) {
    const inv = this.items.get(this.key(campaignId, contactId));
    return inv ? ({ ...inv } as Invitation) : undefined;
  }
  async transition(campaignId: string, contactId: string, t: InvitationTransition) {
    const inv = this.items.get(this.key(campaignId, contactId));
    if (!inv || !t.from.includes(inv.state)) return false;
    if (this.failOn?.(contactId, t)) throw new Error('crash');
    inv.state = t.to;
    inv.event = t.event;
    inv.eventAt = t.at.toISOString();
    if (t.reason) inv.reason = t.reason;
    if (t.messageId) {
      inv.messageId = t.messageId;
      inv.sentAt = t.at.toISOString();
    }
    if (t.leaseUntil) inv.leaseUntil = t.leaseUntil.toISOString();
    else delete inv.leaseUntil;
    this.record(inv, t.event);
    return true;
  }
  async reminder(
    campaignId: string,
    contactId: string,
    from: ReminderState | undefined,
    to: ReminderState | undefined,
    event: InvitationEvent,
    at: Date,
  ) {
    const inv = this.items.get(this.key(campaignId, contactId));
    if (!inv || inv.reminderState !== from) return false;
    if (to) inv.reminderState = to;
    else delete inv.reminderState;
    inv.event = event;
    inv.eventAt = at.toISOString();
    this.record(inv, event);
    return true;
  }
  async milestone(campaignId: string, contactId: string, milestone: Milestone, at: Date) {
    const inv = this.items.get(this.key(campaignId, contactId));
    if (!inv || inv[`${milestone}At`] !== undefined) return false;
    inv[`${milestone}At`] = at.toISOString();
    inv.event = milestone;
    this.record(inv, milestone);
    return true;
  }
  async page(campaignId: string, cursor?: string) {
    const all = [...this.items.values()].filter((i) => i.campaignId === campaignId);
    const start = cursor ? Number(cursor) : 0;
    const items = all.slice(start, start + 2) as Invitation[];
    return start + 2 < all.length ? { items, cursor: String(start + 2) } : { items };
  }
  count(event: InvitationEvent) {
    return this.events.filter((e) => e.event === event).length;
  }
}

export class MemorySuppressionStore implements SuppressionStore {
  readonly items = new Map<string, SuppressionReason>();
  async suppress(contactId: string, reason: SuppressionReason) {
    if (!this.items.has(contactId)) this.items.set(contactId, reason);
  }
  async reasonFor(contactId: string) {
    return this.items.get(contactId);
  }
  async lift(contactId: string, reason: SuppressionReason) {
    if (this.items.get(contactId) !== reason) return false;
    this.items.delete(contactId);
    return true;
  }
}

export class MemoryContactStore implements ContactStore {
  readonly items = new Map<string, Contact>();
  constructor(
    contacts: Contact[] = [],
    private readonly pageSize = 2,
  ) {
    for (const c of contacts) this.items.set(c.contactId, c);
  }
  async putMany(contacts: readonly Contact[]) {
    for (const c of contacts) this.items.set(c.contactId, c);
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async erase(id: string) {
    this.items.delete(id);
  }
  /** Pages of `pageSize`, whatever the caller asks, so paging is exercised with few contacts. */
  async page(cursor: string | undefined) {
    const all = [...this.items.values()];
    const start = cursor ? Number(cursor) : 0;
    const contacts = all.slice(start, start + this.pageSize);
    return start + this.pageSize < all.length
      ? { contacts, cursor: String(start + this.pageSize) }
      : { contacts };
  }
}

export class MemoryFatigueStore implements FatigueStore {
  readonly items = new Map<string, { until: number; by: string }>();
  async claim(claim: FatigueClaim) {
    const held = this.items.get(claim.contactId);
    if (held && held.until > claim.at.getTime() && held.by !== claim.by) return false;
    this.items.set(claim.contactId, { until: quietUntil(claim).getTime(), by: claim.by });
    return true;
  }
}

export class MemoryQueue implements CampaignQueue {
  readonly messages: CampaignMessage[] = [];
  async send(messages: readonly CampaignMessage[]) {
    this.messages.push(...messages);
  }
  /** Takes every message queued so far. */
  drain(): CampaignMessage[] {
    return this.messages.splice(0, this.messages.length);
  }
}

export class MemoryCampaignMailer implements CampaignMailer {
  readonly sent: InvitationMail[] = [];
  /** Throws this (once per entry) before sending. */
  readonly failures: Error[] = [];
  async send(mail: InvitationMail) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(mail);
    return { messageId: `m-${this.sent.length}` };
  }
}

export class MemorySmsSender implements SmsSender {
  readonly sent: Sms[] = [];
  async send(sms: Sms) {
    this.sent.push(sms);
    return { messageId: `s-${this.sent.length}` };
  }
}
