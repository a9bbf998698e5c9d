import { useEffect, useState } from 'preact/hooks';
import type { Survey } from '#kernel/survey.ts';
import type { Api } from './api.ts';

/** The surveys (undefined while loading) and the one chosen, the first until the person picks another. */
export function useSurveys(api: Api, onFailure: (reason: string) => void) {
  const [surveys, setSurveys] = useState<Survey[] | undefined>();
  const [surveyId, setSurveyId] = useState('');
  useEffect(() => {
    api
      .surveys()
      .then(({ items }) => {
        setSurveys(items);
        setSurveyId((current) => current || items[0]?.id || '');
      })
      .catch((err: Error) => onFailure(err.message));
  }, [api]);
  return { surveys, surveyId, setSurveyId };
}
