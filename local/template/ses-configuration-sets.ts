import { referencedIds, type StackReader } from './reader.ts';
import { localConfigurationSetName } from './resolver.ts';

/** An AWS::SES::ConfigurationSet and the SNS event destinations attached to it. */
export interface LocalConfigurationSet {
  readonly logicalId: string;
  readonly name: string;
  readonly eventDestinations: readonly LocalSesEventDestination[];
}

export interface LocalSesEventDestination {
  readonly logicalId: string;
  readonly enabled: boolean;
  /** CloudFormation's lower camel case names: `send`, `delivery`, `bounce`, `complaint`, `reject`... */
  readonly matchingEventTypes: readonly string[];
  readonly topicArn: string;
}

/**
 * AWS::SES::ConfigurationSet with its AWS::SES::ConfigurationSetEventDestination(s); only SNS destinations are
 * emulated, the others are left out with a warning.
 */
export function readConfigurationSets({
  ofType,
  propertiesOf,
  resolver,
  warnings,
}: StackReader): LocalConfigurationSet[] {
  const destinations = ofType('AWS::SES::ConfigurationSetEventDestination').flatMap(([id, res]) => {
    const p = propertiesOf(id, res);
    if (!p) return [];
    const destination = (p.EventDestination ?? {}) as {
      Enabled?: boolean;
      MatchingEventTypes?: string[];
      SnsDestination?: { TopicARN?: string };
    };
    const topicArn = destination.SnsDestination?.TopicARN;
    if (!topicArn) {
      warnings.push(`SES event destination ${id}: only SNS destinations are emulated; it is left out`);
      return [];
    }
    const configSetId = referencedIds(res.Properties?.ConfigurationSetName)[0];
    return [
      {
        configurationSet: String(p.ConfigurationSetName),
        configSetId,
        destination: {
          logicalId: id,
          enabled: destination.Enabled !== false,
          matchingEventTypes: destination.MatchingEventTypes ?? [],
          topicArn,
        } satisfies LocalSesEventDestination,
      },
    ];
  });
  return ofType('AWS::SES::ConfigurationSet').map(([id]): LocalConfigurationSet => {
    const name = localConfigurationSetName(resolver, id);
    return {
      logicalId: id,
      name,
      eventDestinations: destinations
        .filter((d) => d.configSetId === id || d.configurationSet === name)
        .map((d) => d.destination),
    };
  });
}
