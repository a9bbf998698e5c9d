import type { AggregateStore, ApplyResult, LaneStore } from '#aggregation/ports.ts';
import type { AggregateDelta, AggregateKey, Segment } from '#aggregation/rules/aggregation.ts';
import type { LaneStart } from '#aggregation/rules/lanes.ts';
import type { DayCounters } from '#aggregation/rules/report.ts';
import type { AddAnswersResult, CommentAnalyzer, PutResponseResult, ResponseStore } from '#capture/ports.ts';
import type { ResponseRecord } from '#capture/rules/response.ts';
import { analyzeComment } from '#insight/rules/analysis.ts';
import { broughtBy } from '#kernel/analysis.ts';
import type { AlertMessage, Mail, Mailer, Notifier, SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import type { CaseQuery, CaseStore, ReportLedger, RoutingStore } from '#loop/ports.ts';
import type { Case } from '#loop/rules/case.ts';
import { nextDueAt } from '#loop/rules/cases.ts';
import type { RoutingTable } from '#loop/rules/routing.ts';

/** In-memory fakes of our own ports, for unit tests of the domain. */
export class MemorySurveyStore implements SurveyStore {
  readonly items = new Map<string, Survey>();
  constructor(surveys: Survey[] = []) {
    for (const s of surveys) this.items.set(s.id, s);
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async put(s: Survey) {
    this.items.set(s.id, s);
  }
  async list() {
    return [...this.items.values()];
  }
}

/** The built-in reading with the baseline per language (no learned classifier): a pure rule, no I/O. */
export const builtinAnalyzer: CommentAnalyzer = {
  analyze: async (comments) => comments.map((c) => analyzeComment(c)),
};

export class MemoryResponseStore implements ResponseStore {
  readonly items = new Map<string, ResponseRecord>();
  async putIfAbsent(r: ResponseRecord): Promise<PutResponseResult> {
    const key = `${r.surveyId}/${r.submissionId}`;
    const existing = this.items.get(key);
    if (existing) return { created: false, existing };
    this.items.set(key, r);
    return { created: true };
  }
  async addAnswers(part: ResponseRecord): Promise<AddAnswersResult> {
    const key = `${part.surveyId}/${part.submissionId}`;
    const stored = this.items.get(key);
    if (!stored) {
      this.items.set(key, part);
      return { status: 'added', added: Object.keys(part.answers), response: part };
    }
    const entries = Object.entries(part.answers);
    const conflict = entries
      .filter(([q, a]) => q in stored.answers && stored.answers[q] !== a)
      .map(([q]) => q);
    if (conflict.length > 0) return { status: 'conflict', questions: conflict, response: stored };
    const added = entries.filter(([q]) => !(q in stored.answers));
    if (added.length === 0) return { status: 'duplicate', response: stored };
    const reading = broughtBy(
      part.analysis,
      added.map(([q]) => q),
    )
      ? part.analysis
      : undefined;
    const response = {
      ...stored,
      answers: { ...stored.answers, ...Object.fromEntries(added) },
      ...(stored.analysis || !reading ? {} : { analysis: reading }),
    };
    this.items.set(key, response);
    return { status: 'added', added: added.map(([q]) => q), response };
  }
  async get(surveyId: string, submissionId: string) {
    return this.items.get(`${surveyId}/${submissionId}`);
  }
}

/** `<surveyId>|<key>|<value>|<day>` for survey aggregates, `REACH#<campaignId>|...` for reach items. */
const itemKey = (k: AggregateKey) =>
  `${k.kind === 'survey' ? k.surveyId : `REACH#${k.campaignId}`}|${k.segment.key}|${k.segment.value}|${k.day}`;

export class MemoryAggregateStore implements AggregateStore {
  readonly items = new Map<
    string,
    { counters: Record<string, number>; watermarks: Record<string, string> }
  >();
  writes = 0;
  /** Fails every write after this many, like a container that dies half way. */
  failAfter = Number.POSITIVE_INFINITY;

  async apply(
    key: AggregateKey,
    lane: string,
    delta: AggregateDelta,
    finished: readonly string[],
  ): Promise<ApplyResult> {
    if (this.writes >= this.failAfter) throw new Error('injected failure');
    this.writes++;
    const item = this.items.get(itemKey(key)) ?? { counters: {}, watermarks: {} };
    const w = item.watermarks[lane];
    if (w !== undefined && !(w < delta.from)) return { outcome: 'stale', watermark: w, writeUnits: 1 };
    for (const [name, inc] of Object.entries(delta.counters))
      item.counters[name] = (item.counters[name] ?? 0) + inc;
    item.watermarks[lane] = delta.upTo;
    for (const f of finished) if (f !== lane) delete item.watermarks[f];
    this.items.set(itemKey(key), item);
    return { outcome: 'applied', writeUnits: 1, lanes: Object.keys(item.watermarks) };
  }

  async readDays(surveyId: string, segment: Segment, from: string, to: string): Promise<DayCounters[]> {
    const out: DayCounters[] = [];
    for (const [k, v] of this.items) {
      const [s, key, value, day] = k.split('|');
      if (
        s === surveyId &&
        key === segment.key &&
        value === segment.value &&
        day &&
        day >= from &&
        day <= to
      ) {
        out.push({ day, counters: v.counters });
      }
    }
    return out;
  }
}

export class MemoryLaneStore implements LaneStore {
  readonly starts = new Map<string, LaneStart>();
  async getStart(fp: string) {
    return this.starts.get(fp);
  }
  async putStartIfAbsent(fp: string, start: LaneStart) {
    const existing = this.starts.get(fp);
    if (existing) return existing;
    this.starts.set(fp, start);
    return start;
  }
}

export const fixedClock = (iso = '2026-11-20T12:00:00.000Z') => ({ now: () => new Date(iso) });

export class MemoryCaseStore implements CaseStore {
  readonly items = new Map<string, Case>();
  async openIfAbsent(c: Case) {
    const existing = this.items.get(c.caseId);
    if (existing) return { created: false, stored: existing };
    this.items.set(c.caseId, c);
    return { created: true, stored: c };
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async addAnswers(id: string, answers: Readonly<Record<string, string | number>>) {
    const stored = this.items.get(id);
    if (!stored) return undefined;
    const later = Object.entries(answers).filter(([q]) => !(q in stored.answers));
    if (later.length === 0) return stored;
    const next = { ...stored, answers: { ...stored.answers, ...Object.fromEntries(later) } };
    this.items.set(id, next);
    return next;
  }
  async save(c: Case) {
    const stored = this.items.get(c.caseId);
    if (!stored || (stored.version ?? 0) !== (c.version ?? 1) - 1) return false;
    this.items.set(c.caseId, c);
    return true;
  }
  async markNotified(id: string, at: string) {
    const c = this.items.get(id);
    if (!c || c.notifiedAt) return false;
    this.items.set(id, {
      ...c,
      notifiedAt: at,
      notifiedTier: c.notifiedTier ?? 0,
      version: (c.version ?? 0) + 1,
    });
    return true;
  }
  async markTierNotified(c: Case, _at: string) {
    const stored = this.items.get(c.caseId);
    if (!stored || stored.tier !== c.tier || (stored.notifiedTier ?? -1) >= c.tier) return false;
    this.items.set(c.caseId, { ...stored, notifiedTier: c.tier, version: (stored.version ?? 0) + 1 });
    return true;
  }
  async openedSince(from: Date, surveyId?: string) {
    return [...this.items.values()].filter(
      (c) => Date.parse(c.openedAt) >= from.getTime() && (!surveyId || c.surveyId === surveyId),
    );
  }
  async listDue(now: Date, limit: number) {
    return [...this.items.values()]
      .filter((c) => {
        const at = nextDueAt(c);
        return at !== undefined && Date.parse(at) <= now.getTime();
      })
      .sort((a, b) => (nextDueAt(a) ?? '').localeCompare(nextDueAt(b) ?? ''))
      .slice(0, limit);
  }
  async list(q: CaseQuery) {
    return {
      items: [...this.items.values()]
        .filter((c) => !q.status || c.status === q.status)
        .filter((c) => !q.assignee || c.assignee === q.assignee)
        .filter((c) => !q.dueBefore || (c.dueAt !== undefined && c.dueAt < q.dueBefore.toISOString()))
        .slice(0, q.limit),
    };
  }
}

export class MemoryNotifier implements Notifier {
  readonly published: AlertMessage[] = [];
  async publish(m: AlertMessage) {
    this.published.push(m);
  }
}

export class MemoryMailer implements Mailer {
  readonly sent: Mail[] = [];
  async send(m: Mail) {
    this.sent.push(m);
  }
}

export class MemoryRoutingStore implements RoutingStore {
  constructor(public table: RoutingTable = { routes: [] }) {}
  async get() {
    return this.table;
  }
  async put(table: RoutingTable) {
    this.table = table;
  }
}

export class MemoryReportLedger implements ReportLedger {
  readonly claimed = new Set<string>();
  async claim(email: string, frequency: string, periodTo: string) {
    const key = `${email.toLowerCase()}|${frequency}|${periodTo}`;
    if (this.claimed.has(key)) return false;
    this.claimed.add(key);
    return true;
  }
  async release(email: string, frequency: string, periodTo: string) {
    this.claimed.delete(`${email.toLowerCase()}|${frequency}|${periodTo}`);
  }
}
