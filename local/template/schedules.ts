import { constructId, type StackReader } from './reader.ts';
import { localRuleName } from './resolver.ts';

/** An AWS::Events::Rule with a schedule and Lambda targets. */
export interface LocalRule {
  readonly logicalId: string;
  readonly constructId: string;
  readonly name: string;
  readonly arn: string;
  /** `rate(1 hour)`, `cron(0 9 * * ? *)`... */
  readonly scheduleExpression: string;
  readonly enabled: boolean;
  readonly targets: readonly LocalRuleTarget[];
}

export interface LocalRuleTarget {
  readonly id: string;
  readonly functionId: string;
  /** Constant JSON text sent instead of the scheduled event (the target's `Input`). */
  readonly input?: string;
}

/**
 * AWS::Events::Rule with a schedule expression and its Lambda targets (with a constant `Input`, if any); rules
 * with an event pattern, and targets that are not functions of the template, are left out with a warning.
 */
export function readRules({ ofType, idOfType, propertiesOf, resolver, warnings }: StackReader): LocalRule[] {
  return ofType('AWS::Events::Rule').flatMap(([id, res]): LocalRule[] => {
    const p = propertiesOf(id, res);
    if (!p) return [];
    if (typeof p.ScheduleExpression !== 'string') {
      if (p.EventPattern !== undefined) warnings.push(`Rule ${id}: event patterns are not emulated locally`);
      return [];
    }
    const targets: LocalRuleTarget[] = [];
    const rawTargets = (res.Properties?.Targets as Record<string, unknown>[] | undefined) ?? [];
    for (const [i, target] of ((p.Targets as Record<string, unknown>[] | undefined) ?? []).entries()) {
      const functionId = idOfType(rawTargets[i]?.Arn, 'AWS::Lambda::Function');
      if (!functionId) {
        warnings.push(`Rule ${id}: target ${String(target.Id)} is not a function of the template; left out`);
        continue;
      }
      if (target.InputPath !== undefined || target.InputTransformer !== undefined) {
        warnings.push(
          `Rule ${id}: InputPath and InputTransformer are not emulated; the target gets the event`,
        );
      }
      targets.push({
        id: String(target.Id),
        functionId,
        input: typeof target.Input === 'string' ? target.Input : undefined,
      });
    }
    return [
      {
        logicalId: id,
        constructId: constructId(res, id),
        name: localRuleName(resolver, id),
        arn: String(resolver.getAtt(id, 'Arn')),
        scheduleExpression: p.ScheduleExpression,
        enabled: (p.State ?? 'ENABLED') === 'ENABLED',
        targets,
      },
    ];
  });
}
