import { ValidationError } from '#kernel/errors.ts';
import type { SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';

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
