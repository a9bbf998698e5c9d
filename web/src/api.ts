import type { AuditAction, AuditEntry } from '#access/rules/audit.ts';
import type { Grant } from '#access/rules/grants.ts';
import type { MetricsReport, TrendStep, WindowName } from '#aggregation/rules/report.ts';
import type { LeagueTable, SegmentsQuery } from '#aggregation/rules/segments.ts';
import type { SurveyPreviewView } from '#capture/rules/previews.ts';
import type { ConversationNumber } from '#capture/rules/webhook.ts';
import type { ExportKind, ExportView } from '#insight/rules/exports.ts';
import type { ResponsePage } from '#insight/rules/responses.ts';
import type { ShareLinkRequest, ShareLinkView } from '#insight/rules/share-links.ts';
import type { EmergingPhrasesReport } from '#insight/use-cases/emerging-phrases.ts';
import type { Campaign, CampaignInput } from '#invitations/rules/campaigns.ts';
import type { CampaignReach } from '#invitations/rules/reach.ts';
import type { Sentiment } from '#kernel/analysis.ts';
import type { Survey } from '#kernel/survey.ts';
import type { Case, CaseStatus } from '#loop/rules/case.ts';
import type { LoopFigures, LoopGroup } from '#loop/rules/loop-metrics.ts';
import type { ActionPlan, PlanImpact, PlanInput } from '#loop/rules/plans.ts';
import type { RoutingTable } from '#loop/rules/routing.ts';
import type { Role } from '#routes/roles.ts';

/** A field the API refused, as its problem+json lists them (`routes.0.tiers.1.email`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** What the inbox asks for: by status, the person's own, the overdue ones; a page at a time. */
export interface CaseFilter {
  readonly status?: CaseStatus;
  readonly mine?: boolean;
  readonly overdue?: boolean;
  readonly cursor?: string;
}

/** What the Comments screen asks for: a period, a place, a question's band, words. */
export interface CommentFilter {
  readonly window: WindowName;
  readonly segment?: string | undefined;
  readonly question?: string | undefined;
  readonly band?: string | undefined;
  readonly q?: string | undefined;
  readonly theme?: string | undefined;
  readonly sentiment?: Sentiment | undefined;
}

/** The admin API on the app's own origin (`/v1/...`), with the signed-in person's access token. */
export function apiClient(accessToken: string) {
  const send = async <T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as {
        detail?: string;
        title?: string;
        errors?: FieldProblem[];
      };
      throw new ApiError(res.status, problem.detail ?? problem.title ?? `HTTP ${res.status}`, problem.errors);
    }
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  const get = <T>(path: string) => send<T>('GET', path);
  const query = (fields: Record<string, string | boolean | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== false) q.set(k, String(v));
    return q.toString();
  };
  const caseAction = (caseId: string, action: string, body?: unknown) =>
    send<Case>('POST', `/v1/cases/${encodeURIComponent(caseId)}/${action}`, body);
  return {
    me: () => get<{ actor: string; role: Role | null; places: string[] | null }>('/v1/me'),
    grants: () => get<{ items: Grant[] }>('/v1/access/grants'),
    audit: (filter: { actor?: string | undefined; action?: AuditAction | undefined }) =>
      get<{ items: AuditEntry[] }>(`/v1/audit?${query({ ...filter })}`),
    grant: (subject: string, places: readonly string[]) =>
      send<Grant>('PUT', `/v1/access/grants/${encodeURIComponent(subject)}`, { places }),
    revokeGrant: (subject: string) =>
      send<void>('DELETE', `/v1/access/grants/${encodeURIComponent(subject)}`),
    surveys: () => get<{ items: Survey[] }>('/v1/surveys'),
    saveSurvey: (survey: Survey) =>
      send<Survey>('PUT', `/v1/surveys/${encodeURIComponent(survey.id || '-')}`, survey),
    previewSurvey: (survey: Survey) =>
      send<SurveyPreviewView>('POST', `/v1/surveys/${encodeURIComponent(survey.id || '-')}/previews`, survey),
    metrics: (surveyId: string, window: WindowName, trend: TrendStep, segment?: string) =>
      get<MetricsReport>(
        `/v1/surveys/${encodeURIComponent(surveyId)}/metrics?${query({ window, trend, segment })}`,
      ),
    segments: (surveyId: string, q: SegmentsQuery) =>
      get<LeagueTable>(`/v1/surveys/${encodeURIComponent(surveyId)}/segments?${query({ ...q })}`),
    segmentValues: (surveyId: string, key: string) =>
      get<{ key: string; values: { value: string; parent: string | null }[] }>(
        `/v1/surveys/${encodeURIComponent(surveyId)}/segment-values?${query({ key })}`,
      ),
    phrases: (surveyId: string, window: WindowName, segment?: string) =>
      get<EmergingPhrasesReport>(
        `/v1/surveys/${encodeURIComponent(surveyId)}/phrases?${query({ window, segment })}`,
      ),
    responses: (surveyId: string, q: CommentFilter & { readonly cursor?: string | undefined }) =>
      get<ResponsePage>(`/v1/surveys/${encodeURIComponent(surveyId)}/responses?${query({ ...q })}`),
    exports: (surveyId: string) =>
      get<{ items: ExportView[] }>(`/v1/surveys/${encodeURIComponent(surveyId)}/exports`),
    requestExport: (
      surveyId: string,
      request: { kind: ExportKind; window: WindowName; segment?: string | undefined },
    ) => send<ExportView>('POST', `/v1/surveys/${encodeURIComponent(surveyId)}/exports`, request),
    export: (exportId: string) => get<ExportView>(`/v1/exports/${encodeURIComponent(exportId)}`),
    shareLinks: (surveyId: string) =>
      get<{ items: ShareLinkView[] }>(`/v1/surveys/${encodeURIComponent(surveyId)}/share-links?limit=50`),
    createShareLink: (surveyId: string, request: Partial<ShareLinkRequest>) =>
      send<ShareLinkView>('POST', `/v1/surveys/${encodeURIComponent(surveyId)}/share-links`, request),
    revokeShareLink: (linkId: string) =>
      send<ShareLinkView>('POST', `/v1/share-links/${encodeURIComponent(linkId)}/revoke`),
    loopMetrics: (surveyId: string, window: WindowName, by?: string) =>
      get<{ total: LoopFigures; groups: LoopGroup[] }>(`/v1/loop/metrics?${query({ window, surveyId, by })}`),
    link: (surveyId: string, attributes: Record<string, string>, lang?: string) =>
      send<{ url: string; attributes: Record<string, string>; qr: { svg: string; png: string } }>(
        'POST',
        `/v1/surveys/${encodeURIComponent(surveyId)}/links`,
        { attributes, ...(lang ? { lang } : {}) },
      ),
    routing: () => get<RoutingTable>('/v1/routing'),
    saveRouting: (table: RoutingTable) => send<unknown>('PUT', '/v1/routing', table),
    plans: () => get<{ items: ActionPlan[] }>('/v1/plans'),
    plan: (planId: string) =>
      get<ActionPlan & { impact: PlanImpact }>(`/v1/plans/${encodeURIComponent(planId)}`),
    createPlan: (plan: PlanInput) => send<ActionPlan>('POST', '/v1/plans', plan),
    updatePlan: (planId: string, plan: PlanInput) =>
      send<ActionPlan>('PUT', `/v1/plans/${encodeURIComponent(planId)}`, plan),
    campaigns: () => get<{ items: Campaign[] }>('/v1/campaigns'),
    numbers: () => get<{ items: ConversationNumber[] }>('/v1/numbers'),
    createCampaign: (input: Partial<CampaignInput>) => send<Campaign>('POST', '/v1/campaigns', input),
    startCampaign: (campaignId: string) =>
      send<Campaign>('POST', `/v1/campaigns/${encodeURIComponent(campaignId)}/start`),
    reach: (campaignId: string) =>
      get<CampaignReach>(`/v1/campaigns/${encodeURIComponent(campaignId)}/reach`),
    cases: (filter: CaseFilter) =>
      get<{ items: Case[]; cursor?: string }>(`/v1/cases?${query({ limit: '25', ...filter })}`),
    case: (caseId: string) => get<Case>(`/v1/cases/${encodeURIComponent(caseId)}`),
    acknowledge: (caseId: string) => caseAction(caseId, 'acknowledge'),
    assign: (caseId: string, assignee: string) => caseAction(caseId, 'assign', { assignee }),
    comment: (caseId: string, text: string) => caseAction(caseId, 'comments', { text }),
    resolve: (
      caseId: string,
      resolution: { note: string; rootCause: string; customerContacted: boolean; followUp?: boolean },
    ) => caseAction(caseId, 'resolve', resolution),
    close: (caseId: string) => caseAction(caseId, 'close'),
    reopen: (caseId: string, reason: string) => caseAction(caseId, 'reopen', { reason }),
  };
}

export type Api = ReturnType<typeof apiClient>;
