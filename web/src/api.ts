import type { MetricsReport, WindowName } from '#aggregation/rules/report.ts';
import type { Survey } from '#kernel/survey.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The admin API on the app's own origin (`/v1/...`), with the signed-in person's access token. */
export function apiClient(accessToken: string) {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(path, { headers: { authorization: `Bearer ${accessToken}` } });
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as { title?: string; message?: string };
      throw new ApiError(res.status, problem.title ?? problem.message ?? `HTTP ${res.status}`);
    }
    return (await res.json()) as T;
  };
  return {
    surveys: () => get<{ items: Survey[] }>('/v1/surveys'),
    metrics: (surveyId: string, window: WindowName) =>
      get<MetricsReport>(`/v1/surveys/${encodeURIComponent(surveyId)}/metrics?window=${window}`),
  };
}

export type Api = ReturnType<typeof apiClient>;
