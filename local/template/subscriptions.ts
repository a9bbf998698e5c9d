import type { StackReader } from './reader.ts';

/** An AWS::SNS::Subscription of the template. */
export interface LocalSubscription {
  readonly logicalId: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  /** Logical id of the function a `lambda` subscription invokes. */
  readonly functionId?: string;
  readonly filterPolicy?: unknown;
  readonly filterPolicyScope: 'MessageAttributes' | 'MessageBody';
}

/** AWS::SNS::Subscription with its filter policy; a `lambda` one names the function of the template it invokes. */
export function readSubscriptions({
  ofType,
  idOfType,
  propertiesOf,
  warnings,
}: StackReader): LocalSubscription[] {
  return ofType('AWS::SNS::Subscription').flatMap(([id, res]): LocalSubscription[] => {
    const p = propertiesOf(id, res);
    if (!p) return [];
    const protocol = String(p.Protocol ?? '');
    const functionId =
      protocol === 'lambda' ? idOfType(res.Properties?.Endpoint, 'AWS::Lambda::Function') : undefined;
    if (protocol === 'lambda' && !functionId) {
      warnings.push(`Subscription ${id}: its function is not in the template; it is left out`);
      return [];
    }
    let filterPolicy = p.FilterPolicy;
    if (typeof filterPolicy === 'string') filterPolicy = JSON.parse(filterPolicy) as unknown;
    return [
      {
        logicalId: id,
        topicArn: String(p.TopicArn),
        protocol,
        endpoint: String(p.Endpoint ?? ''),
        functionId,
        filterPolicy,
        filterPolicyScope: p.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
      },
    ];
  });
}
