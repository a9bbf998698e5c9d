import { constructId, type StackReader } from './reader.ts';
import { localTopicName } from './resolver.ts';

export interface LocalTopic {
  readonly logicalId: string;
  readonly constructId: string;
  readonly name: string;
  readonly arn: string;
  readonly attributes: Record<string, string>;
}

/** AWS::SNS::Topic with its local name, ARN and display name. */
export function readTopics({ ofType, resolver }: StackReader): LocalTopic[] {
  return ofType('AWS::SNS::Topic').map(([id, res]): LocalTopic => {
    const display = resolver.property(id, 'DisplayName');
    return {
      logicalId: id,
      constructId: constructId(res, id),
      name: localTopicName(resolver, id),
      arn: String(resolver.ref(id)),
      attributes: typeof display === 'string' ? { DisplayName: display } : {},
    };
  });
}
