import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { EXPORT_KEPT_DAYS } from '#insight/rules/exports.ts';
import { logicalIdOf, synthPulso } from './support.ts';

describe('Exports', () => {
  const { stack, template } = synthPulso();
  const idOf = (c: IConstruct | undefined) => logicalIdOf(c?.node.defaultChild as CfnElement);
  const bucketId = idOf(stack.exports.bucket);
  interface Resource {
    Type: string;
    Properties: {
      Roles?: unknown;
      PolicyDocument?: { Statement: { Action: string | string[]; Resource: unknown }[] };
      Environment?: { Variables: Record<string, unknown> };
    };
  }
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const policiesOf = (fn: { role?: IConstruct }) => {
    const roleId = idOf(fn.role);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(roleId))
      .flatMap((r) => r.Properties.PolicyDocument?.Statement ?? []);
  };
  const s3Statements = (fn: { role?: IConstruct }) =>
    policiesOf(fn).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));

  it('keeps files in a private, encrypted, TLS-only bucket for as long as the jobs, with access logs', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            ExpirationInDays: EXPORT_KEPT_DAYS,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          }),
        ],
      },
      LoggingConfiguration: { LogFilePrefix: 'exports/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets the exports function read export files only, the exporter write them only, the contacts function delete them only', () => {
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/exports/*']] };
    expect(s3Statements(stack.exports.exports)).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Effect: 'Allow', Resource: objects }),
    ]);
    expect(s3Statements(stack.exports.exporter)).toEqual([
      expect.objectContaining({
        Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
        Effect: 'Allow',
        Resource: objects,
      }),
    ]);
    // An erasure removes the response files that may hold the person.
    expect(s3Statements(stack.invitations.contacts)).toEqual([
      expect.objectContaining({ Action: 's3:DeleteObject', Effect: 'Allow', Resource: objects }),
    ]);
    // No other function touches the bucket.
    for (const fn of stack.functions.filter(
      (f) => f !== stack.exports.exports && f !== stack.exports.exporter && f !== stack.invitations.contacts,
    )) {
      expect(s3Statements(fn), fn.node.id).toEqual([]);
    }
  });

  it('hands each job to the exporter through a queue that outwaits it, failing twice to its dead-letter queue', () => {
    const queueId = idOf(stack.exports.queue);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 5400,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [idOf(stack.exports.failures), 'Arn'] },
        maxReceiveCount: 2,
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: idOf(stack.exports.exporter) },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const env = (fn: IConstruct) => resources[idOf(fn)]?.Properties.Environment?.Variables;
    expect(env(stack.exports.exports)).toMatchObject({
      EXPORTS_BUCKET: { Ref: bucketId },
      EXPORT_QUEUE_URL: { Ref: queueId },
    });
    expect(env(stack.exports.exporter)).toMatchObject({ EXPORTS_BUCKET: { Ref: bucketId } });
    expect(env(stack.exports.exporter)).not.toHaveProperty('EXPORT_QUEUE_URL');
  });
});
