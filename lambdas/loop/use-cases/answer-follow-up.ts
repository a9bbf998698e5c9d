import { ConflictError, RefusedError, ValidationError } from '#kernel/errors.ts';
import type { Clock } from '#kernel/ports.ts';
import type { CaseStore } from '../ports.ts';
import type { Case } from '../rules/case.ts';
import { FOLLOW_UP_FIELD, followUpEvent, isRecovered } from '../rules/recovery.ts';
import { updateCase } from './case-updates.ts';

/** The customer's one answer: recorded once; a second answer changes nothing (ConflictError). */
export async function answerFollowUp(
  deps: { readonly cases: CaseStore; readonly clock: Clock },
  caseId: string,
  rawScore: string | undefined,
): Promise<Case> {
  const score = Number(rawScore);
  if (rawScore === undefined || rawScore === '')
    throw new ValidationError('Choose an answer.', [
      { field: FOLLOW_UP_FIELD, code: 'required', message: 'choose 1 to 5' },
    ]);
  if (!Number.isInteger(score) || score < 1 || score > 5)
    throw new ValidationError('Choose one of the options.', [
      { field: FOLLOW_UP_FIELD, code: 'out_of_range', message: 'choose 1 to 5' },
    ]);
  const now = deps.clock.now().toISOString();
  let answered = false;
  const saved = await updateCase(deps.cases, caseId, (c) => {
    const r = c.recovery;
    if (r?.status === 'answered') {
      answered = true;
      return null;
    }
    // A sender that died after sending leaves `unknown` (or, until the sweep looks, `sending`): it went out.
    if (r?.status !== 'sent' && r?.status !== 'unknown' && r?.status !== 'sending') return null;
    const recovered = isRecovered(score);
    return {
      ...c,
      recovery: { ...r, status: 'answered', answeredAt: now, score, recovered },
      history: [
        ...c.history,
        followUpEvent(
          now,
          'customer',
          `follow-up answered: ${score} of 5 (${recovered ? 'recovered' : 'not recovered'})`,
        ),
      ],
    };
  });
  if (answered) throw new ConflictError('This follow-up was answered already.');
  if (!saved) throw new RefusedError('There is no follow-up to answer for this case.');
  return saved;
}
