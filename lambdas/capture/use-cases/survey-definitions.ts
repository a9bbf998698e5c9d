import { NotFoundError, ValidationError } from '#kernel/errors.ts';
import type { SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import type { WebhookSecretStore } from '../ports.ts';
import { WEBHOOK_SOURCE_PATTERN } from '../rules/webhook.ts';

/** A body naming another survey than its path is refused. */
export function checkSurveyId(surveyId: string, survey: Survey): void {
  if (survey.id !== surveyId) {
    throw new ValidationError('The id in the body differs from the one in the path.', [
      { field: 'id', code: 'mismatch', message: `expected "${surveyId}"` },
    ]);
  }
}

/** Saves a survey definition under the id of its path; a body naming another id is refused. */
export async function saveSurvey(surveys: SurveyStore, surveyId: string, survey: Survey): Promise<Survey> {
  checkSurveyId(surveyId, survey);
  await surveys.put(survey);
  return survey;
}

/** The secrets of a webhook source: one, or two while rotating. */
export async function setWebhookSecrets(store: WebhookSecretStore, source: string, secrets: string[]) {
  if (!WEBHOOK_SOURCE_PATTERN.test(source)) throw new NotFoundError(`No webhook source "${source}".`);
  await store.put(source, secrets);
  return { source, secrets: secrets.length };
}

/** The secrets of a configured webhook source, before anything of its request is read. */
export async function webhookSecretsOf(store: WebhookSecretStore, source: string): Promise<string[]> {
  const secrets = WEBHOOK_SOURCE_PATTERN.test(source) ? await store.get(source) : undefined;
  if (!secrets) throw new NotFoundError(`No webhook source "${source}" is configured.`);
  return secrets;
}
