import { useEffect, useState } from 'preact/hooks';
import type { Survey } from '#kernel/survey.ts';
import type { Api } from './api.ts';

const CHOSEN = 'pulso.survey';

/**
 * The surveys (undefined while loading) and the one chosen: the address's `?survey=` (a report's link), else the
 * one chosen last in this tab, so its figures load without waiting for the list, else the first.
 */
export function useSurveys(api: Api, onFailure: (reason: string) => void) {
  const [surveys, setSurveys] = useState<Survey[] | undefined>();
  const [surveyId, choose] = useState(
    () => new URLSearchParams(location.search).get('survey') ?? sessionStorage.getItem(CHOSEN) ?? '',
  );
  const setSurveyId = (id: string) => {
    sessionStorage.setItem(CHOSEN, id);
    choose(id);
  };
  useEffect(() => {
    api
      .surveys()
      .then(({ items }) => {
        setSurveys(items);
        choose((current) => {
          const id = items.some((s) => s.id === current) ? current : (items[0]?.id ?? '');
          sessionStorage.setItem(CHOSEN, id);
          return id;
        });
      })
      .catch((err: Error) => onFailure(err.message));
  }, [api]);
  return { surveys, surveyId, setSurveyId };
}
