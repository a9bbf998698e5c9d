import { NotFoundError, ValidationError } from '#kernel/errors.ts';
import type { CampaignQueue, CampaignStore, ReachStore } from '../ports.ts';
import type { Campaign, CampaignInput } from '../rules/campaigns.ts';

/** A new campaign, a draft until started. The survey must exist. */
export async function createCampaign(
  deps: {
    campaigns: CampaignStore;
    surveyExists: (surveyId: string) => Promise<boolean>;
    /** The kind of a webhook source (whatsapp, sms...), undefined when there is none of that name. */
    sourceKind: (source: string) => Promise<string | undefined>;
  },
  input: CampaignInput,
  campaignId: string,
  now: Date,
): Promise<Campaign> {
  if (!(await deps.surveyExists(input.surveyId))) {
    throw new ValidationError(`There is no survey "${input.surveyId}".`, [
      { field: 'surveyId', code: 'not_found', message: 'no such survey' },
    ]);
  }
  // A conversation campaign runs on a source of its channel: refused now rather than failing every invitation.
  if (input.source !== undefined && (await deps.sourceKind(input.source)) !== input.channel) {
    throw new ValidationError(`There is no ${input.channel} source "${input.source}".`, [
      { field: 'source', code: 'not_found', message: `no ${input.channel} source of that name` },
    ]);
  }
  const campaign: Campaign = {
    ...input,
    campaignId,
    status: 'draft',
    createdAt: now.toISOString(),
    audiencePages: 0,
    audienceDone: false,
  };
  await deps.campaigns.create(campaign);
  return campaign;
}

/**
 * Starts sending: the first audience page is queued; the sender does the rest. Starting again is safe: until
 * the first page is done the page is queued again (a request that died before queueing it leaves nothing
 * stuck, and a page handled twice writes nothing twice); after that, nothing changes.
 */
export async function startCampaign(
  deps: { campaigns: CampaignStore; queue: CampaignQueue },
  campaignId: string,
  now: Date,
): Promise<Campaign> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError(`There is no campaign "${campaignId}".`);
  const started = (await deps.campaigns.start(campaignId, now))
    ? { ...campaign, status: 'sending' as const, startedAt: now.toISOString() }
    : ((await deps.campaigns.get(campaignId)) ?? campaign);
  if (started.audiencePages === 0 && !started.audienceDone)
    await deps.queue.send([{ kind: 'audience', campaignId, page: 0 }]);
  return started;
}

export async function getCampaign(campaigns: CampaignStore, campaignId: string): Promise<Campaign> {
  const campaign = await campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError(`There is no campaign "${campaignId}".`);
  return campaign;
}

/** The live reach of a campaign that exists. */
export async function campaignReach(
  deps: { campaigns: CampaignStore; reach: ReachStore },
  campaignId: string,
) {
  await getCampaign(deps.campaigns, campaignId);
  return deps.reach.read(campaignId);
}
