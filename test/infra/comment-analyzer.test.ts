import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import type { PulsoFunction } from '#lib/pulso-function.ts';
import { logicalIdOf, synthPulso } from './support.ts';

const COMPREHEND = ['comprehend:BatchDetectSentiment', 'comprehend:BatchDetectKeyPhrases'];

/** The actions a function's role is allowed, from every policy attached to it. */
function actionsOf(template: Template, fn: PulsoFunction): string[] {
  const role = logicalIdOf(fn.role?.node.defaultChild as CfnFunction);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
    .flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => s.Action),
    );
}

function capturing(stack: ReturnType<typeof synthPulso>['stack']) {
  return [
    stack.capture.surveyPage,
    stack.capture.submitResponse,
    stack.capture.webhook,
    stack.capture.contactFlow,
    stack.invitations.smsInbound,
  ];
}

const envOf = (template: Template, fn: PulsoFunction) =>
  template.toJSON().Resources[logicalIdOf(fn.node.defaultChild as CfnFunction)].Properties.Environment
    .Variables;

describe('the comment analyzer', () => {
  it('reads comments inside the functions that take answers, with no Comprehend rights, by default', () => {
    const { stack, template } = synthPulso();
    for (const fn of capturing(stack)) {
      expect(envOf(template, fn).PULSO_ANALYZER).toBe('builtin');
      expect(actionsOf(template, fn)).not.toEqual(expect.arrayContaining([COMPREHEND[0]]));
    }
    expect(envOf(template, stack.aggregation.aggregator).PULSO_ANALYZER).toBeUndefined();
  });

  it('grants the batch detections to those functions only when the deployment opts in to Comprehend', () => {
    const { stack, template } = synthPulso({ context: { commentAnalyzer: 'comprehend' } });
    for (const fn of capturing(stack)) {
      expect(envOf(template, fn).PULSO_ANALYZER).toBe('comprehend');
      expect(actionsOf(template, fn)).toEqual(expect.arrayContaining(COMPREHEND));
    }
    expect(actionsOf(template, stack.aggregation.aggregator)).not.toEqual(
      expect.arrayContaining([COMPREHEND[0]]),
    );
  });

  it('refuses an analyzer it does not know', () => {
    expect(() => synthPulso({ context: { commentAnalyzer: 'gpt' } })).toThrow(/builtin or comprehend/);
  });
});
