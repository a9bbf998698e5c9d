import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { logicalIdOf, synthPulso } from './support.ts';

const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/0b5f7a8e-1c2d-4e3f-9a0b-1c2d3e4f5a6b';

describe('Amazon Connect', () => {
  it('lets only the given instance invoke the contact-flow function, and associates it with the instance', () => {
    const { stack, template } = synthPulso({ context: { connectInstanceArn: INSTANCE } });
    const arn = {
      'Fn::GetAtt': [logicalIdOf(stack.capture.contactFlow.node.defaultChild as CfnFunction), 'Arn'],
    };
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arn,
      Principal: 'connect.amazonaws.com',
      SourceArn: INSTANCE,
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    template.hasResourceProperties('AWS::Connect::IntegrationAssociation', {
      InstanceId: INSTANCE,
      IntegrationType: 'LAMBDA_FUNCTION',
      IntegrationArn: arn,
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 8 });
  });

  it('grants no one without an instance, and can leave the association to the console', () => {
    const none = synthPulso().template;
    expect(
      Object.values(none.findResources('AWS::Lambda::Permission')).filter(
        (p) => p.Properties.Principal === 'connect.amazonaws.com',
      ),
    ).toEqual([]);
    none.resourceCountIs('AWS::Connect::IntegrationAssociation', 0);
    const unassociated = synthPulso({
      context: { connectInstanceArn: INSTANCE, connectAssociate: 'false' },
    }).template;
    unassociated.resourceCountIs('AWS::Connect::IntegrationAssociation', 0);
    expect(
      Object.values(unassociated.findResources('AWS::Lambda::Permission')).filter(
        (p) => p.Properties.Principal === 'connect.amazonaws.com',
      ),
    ).toHaveLength(1);
  });

  it('refuses something that is not an instance ARN', () => {
    expect(() =>
      synthPulso({ context: { connectInstanceArn: 'arn:aws:connect:us-east-1:1:instance/x' } }),
    ).toThrow(/connectInstanceArn/);
  });
});
