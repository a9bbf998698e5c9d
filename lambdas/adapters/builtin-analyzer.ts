import type { CommentAnalyzer } from '#capture/ports.ts';
import type { SentimentModelStore } from '#insight/ports.ts';
import { analyzeComment, type ModelsInUse } from '#insight/rules/analysis.ts';
import type { CommentAnalysis, CommentToAnalyze } from '#kernel/analysis.ts';
import type { Clock } from '#kernel/ports.ts';

/** How long a container reads with the classifiers it loaded before it looks for newer ones. */
const MODELS_TTL_MS = 10 * 60_000;

/**
 * The built-in analyzer, inside the Lambda: the baseline per language, or the deployment's learned classifier for
 * a language once one is in use (read from the table, kept for ten minutes per container). When the classifiers
 * cannot be read it goes on with those it has, or the baseline: a comment is never left unread for it.
 */
export class BuiltinAnalyzer implements CommentAnalyzer {
  private models: ModelsInUse = {};
  private loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: SentimentModelStore | undefined,
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async analyze(comments: readonly CommentToAnalyze[]): Promise<CommentAnalysis[]> {
    const models = await this.inUse();
    return comments.map((c) => analyzeComment(c, models));
  }

  private async inUse(): Promise<ModelsInUse> {
    const now = this.clock.now().getTime();
    if (!this.store || now - this.loadedAt < MODELS_TTL_MS) return this.models;
    this.loadedAt = now;
    try {
      const models: Record<string, unknown> = {};
      for (const t of await this.store.all()) if (t.inUse) models[t.language] = t.model;
      this.models = models as ModelsInUse;
    } catch (err) {
      this.onError(err);
    }
    return this.models;
  }
}
