import { parseSegment } from '#aggregation/rules/report.ts';
import type { ResponseStore } from '#capture/ports.ts';
import type { ResponseRecord } from '#capture/rules/response.ts';
import type { CaseLookup, ExportStore } from '#insight/ports.ts';
import { inPeriod } from '#insight/rules/exports.ts';
import type { CampaignStore, ContactStore, InvitationStore, SuppressionStore } from '#invitations/ports.ts';
import type { Invitation } from '#invitations/rules/campaigns.ts';
import type { Contact } from '#invitations/rules/contacts.ts';
import { invitationSubmissionId } from '#invitations/rules/invitations.ts';
import type { Clock } from '#kernel/ports.ts';
import type { CaseStore } from '#loop/ports.ts';
import type { Case } from '#loop/rules/case.ts';
import type { ExportFileEraser, PersonalDataEraser } from '../ports.ts';
import { finderOf, type PersonalDataQuery, type PersonFinder } from '../rules/personal-data.ts';

export interface PersonalDataDeps {
  readonly contacts: ContactStore;
  readonly suppressions: SuppressionStore;
  readonly campaigns: CampaignStore;
  readonly invitations: InvitationStore;
  readonly responses: ResponseStore;
  readonly caseLookup: CaseLookup;
  readonly cases: CaseStore;
}

/** Everything Pulso holds about one contact: what they are, why they are not invited, what was sent and said. */
export interface PersonalData {
  readonly contact: Contact;
  /** Why nobody may invite them, or null. */
  readonly suppressed: string | null;
  readonly invitations: readonly Invitation[];
  /** Their answers through their invitations, comments included. */
  readonly responses: readonly ResponseRecord[];
  /** The cases those answers opened, with their history (notes) and the follow-up asked of them. */
  readonly cases: readonly Case[];
}

const PAGE = 500;

async function contactsOf(deps: PersonalDataDeps, finder: PersonFinder): Promise<Contact[]> {
  if (finder.by === 'contactId') {
    const c = await deps.contacts.get(finder.value);
    return c ? [c] : [];
  }
  // No index by email or phone (the table keeps none of people's addresses as keys): every contact is read.
  const found: Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.contacts.page(cursor, PAGE);
    for (const c of page.contacts)
      if (finder.by === 'email' ? c.email?.toLowerCase() === finder.value : c.phone === finder.value)
        found.push(c);
    cursor = page.cursor;
  } while (cursor);
  return found;
}

async function heldAbout(deps: PersonalDataDeps, contact: Contact): Promise<PersonalData> {
  const [suppressed, campaigns] = await Promise.all([
    deps.suppressions.reasonFor(contact.contactId),
    deps.campaigns.list(),
  ]);
  const invitations = (
    await Promise.all(campaigns.map((c) => deps.invitations.get(c.campaignId, contact.contactId)))
  ).filter((i): i is Invitation => i !== undefined);
  const responses = (
    await Promise.all(
      invitations.map((i) => deps.responses.get(i.surveyId, invitationSubmissionId(i.invitationId))),
    )
  ).filter((r): r is ResponseRecord => r !== undefined);
  const bySurvey = new Map<string, string[]>();
  for (const r of responses) bySurvey.set(r.surveyId, [...(bySurvey.get(r.surveyId) ?? []), r.submissionId]);
  const caseIds = (
    await Promise.all([...bySurvey].map(([surveyId, ids]) => deps.caseLookup.casesOf(surveyId, ids)))
  ).flatMap((found) => [...found.values()].map((c) => c.caseId));
  const cases = (await Promise.all(caseIds.map((id) => deps.cases.get(id)))).filter(
    (c): c is Case => c !== undefined,
  );
  return { contact, suppressed: suppressed ?? null, invitations, responses, cases };
}

/**
 * What Pulso holds about a person, found by contact id, email or phone, as JSON they can be given: each contact
 * that matches, with their suppression, invitations, the answers they gave through them and the cases those opened.
 * Answers given without an invitation name nobody, so nothing ties them to the person.
 */
export async function findPersonalData(
  deps: PersonalDataDeps,
  query: PersonalDataQuery,
): Promise<{ readonly finder: PersonFinder; readonly people: readonly PersonalData[] }> {
  const finder = finderOf(query);
  const found = await contactsOf(deps, finder);
  return { finder, people: await Promise.all(found.map((c) => heldAbout(deps, c))) };
}

/** What an erasure removed. */
export interface Erased {
  readonly people: number;
  readonly responses: number;
  readonly cases: number;
  readonly invitations: number;
  /** Response files that may hold their answers (the period covers one, the place is theirs or everyone's). */
  readonly exports: number;
}

export interface EraseDeps extends PersonalDataDeps {
  readonly eraser: PersonalDataEraser;
  readonly exports: Pick<ExportStore, 'listOf'>;
  readonly exportFiles: ExportFileEraser;
  readonly clock: Clock;
}

/** Jobs listed per survey when looking for files that may hold a person's answers (more than 7 days of them). */
const EXPORTS_LOOKED_AT = 1000;

/** The response files that may hold one of these answers: the day in their period, the place theirs or all. */
async function exportsHolding(deps: EraseDeps, responses: readonly ResponseRecord[]) {
  const surveys = [...new Set(responses.map((r) => r.surveyId))];
  const jobs = (await Promise.all(surveys.map((s) => deps.exports.listOf(s, EXPORTS_LOOKED_AT)))).flat();
  return jobs.filter((job) => {
    const period = { from: job.from, to: job.to, segment: parseSegment(job.segment) };
    // The rows an export of this job wrote: the exporter's own test.
    return (
      job.kind === 'responses' && responses.some((r) => r.surveyId === job.surveyId && inPeriod(period, r))
    );
  });
}

/**
 * Erases a person at their request: the CSV files of responses that may hold their answers, their answers
 * (comments included), the cases those opened (notes and follow-ups), their invitations and the contact itself. The aggregates stay (they name nobody), and so does a
 * suppression under their contact id (a hash of their address), so importing them again never invites them.
 */
export async function erasePersonalData(deps: EraseDeps, query: PersonalDataQuery): Promise<Erased> {
  const { people } = await findPersonalData(deps, query);
  // Files first, found while their answers are still there to match; a job still running is not looked at.
  const files = await exportsHolding(
    deps,
    people.flatMap((p) => p.responses),
  );
  for (const job of files) {
    if (job.objectKey) await deps.exportFiles.remove(job.objectKey);
    await deps.eraser.eraseExport(job.exportId);
  }
  for (const person of people) {
    const id = person.contact.contactId;
    // Suppressed first: were the erasure to stop half way, nobody would invite them meanwhile.
    if (!person.suppressed) await deps.suppressions.suppress(id, 'erased', deps.clock.now());
    await Promise.all([
      ...person.cases.map((c) => deps.eraser.eraseCase(c.caseId)),
      ...person.responses.map((r) => deps.eraser.eraseResponse(r.surveyId, r.submissionId)),
      ...person.invitations.map((i) => deps.eraser.eraseInvitation(i.campaignId, id)),
    ]);
    await deps.contacts.erase(id);
  }
  const count = (f: (p: PersonalData) => readonly unknown[]) => people.reduce((n, p) => n + f(p).length, 0);
  return {
    people: people.length,
    responses: count((p) => p.responses),
    cases: count((p) => p.cases),
    invitations: count((p) => p.invitations),
    exports: files.length,
  };
}
