import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EXPORTS_PREFIX } from '#insight/rules/exports.ts';

/** Repository root: the folder that holds package.json and package-lock.json. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Metadata key on each CfnFunction that names its source entry (read by the local runtime). */
export const ENTRY_METADATA_KEY = 'pulso:entry';

/** The AWS SDK's default credential chain, and what Lambda bundles use instead (see lambda-credentials.ts). */
export const CREDENTIAL_CHAIN = '@aws-sdk/credential-provider-node';
export const LAMBDA_CREDENTIALS = resolve(REPO_ROOT, 'lambdas/adapters/aws/lambda-credentials.ts');

// Lets CommonJS dependencies that call require() work inside the ESM bundle.
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __pulsoCreateRequire } from 'node:module'; const require = __pulsoCreateRequire(import.meta.url);";

export interface PulsoFunctionProps {
  /** Handler source file, relative to the repository root (e.g. `lambdas/handlers/metrics.ts`). */
  readonly entry: string;
  /**
   * What the function does, shown in the console.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Maximum run time of one invocation.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB (CPU scales with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Retention of the function's dedicated log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Leave `@aws-sdk/*` out of the bundle and use the SDK that the Lambda runtime ships.
   * @default false - the SDK is bundled, so its version is pinned and bundle size is measured honestly
   */
  readonly externalAwsSdk?: boolean;
  /**
   * Extra environment variables.
   * @default - only the house variables (POWERTOOLS_SERVICE_NAME, LOG_LEVEL, NODE_OPTIONS)
   */
  readonly environment?: Record<string, string>;
  /**
   * Where asynchronous invocations (SNS, EventBridge) go once Lambda's retries are spent.
   * @default - none: the function is only invoked synchronously or by an event source mapping
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Folder that holds package.json, tsconfig.json and package-lock.json.
   * @default REPO_ROOT
   */
  readonly projectRoot?: string;
}

/**
 * The house Lambda function: Node.js 24 on arm64, X-Ray, ESM bundle, its own log group with a retention,
 * and `bind*` methods that grant access and set the matching environment variable together.
 */
export class PulsoFunction extends NodejsFunction {
  /** Entry file relative to the repository root, as recorded in the template. */
  public readonly entryPath: string;

  constructor(scope: Construct, id: string, props: PulsoFunctionProps) {
    const projectRoot = props.projectRoot ?? REPO_ROOT;
    // The log group is created before the function so the function never writes to an unmanaged group.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // Own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: join(projectRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      logGroup,
      role,
      deadLetterQueue: props.deadLetterQueue,
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'pulso',
        LOG_LEVEL: 'INFO',
        // Maps stack traces back to the TypeScript sources through the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        banner: CREATE_REQUIRE_BANNER,
        // An empty list bundles @aws-sdk/* too (NodejsFunction marks it external by default).
        externalModules: props.externalAwsSdk ? ['@aws-sdk/*'] : [],
        // Lambda passes the role's credentials in environment variables: the rest of the default chain is dead weight.
        esbuildArgs: props.externalAwsSdk ? {} : { [`--alias:${CREDENTIAL_CHAIN}`]: LAMBDA_CREDENTIALS },
      },
    });
    this.entryPath = props.entry;
    (this.node.defaultChild as CfnFunction).addMetadata(ENTRY_METADATA_KEY, props.entry);
  }

  /** Grants access to the table and sets TABLE_NAME. */
  public bindTable(table: dynamodb.ITable, access: 'read' | 'readWrite' = 'readWrite'): this {
    if (access === 'read') {
      table.grantReadData(this);
    } else {
      table.grantReadWriteData(this);
    }
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  /**
   * Sets PULSO_ANALYZER; for Amazon Comprehend grants its batch detections, which name no resource (they run on
   * no model of the account's: IAM allows only `*` for them).
   */
  public bindCommentAnalyzer(analyzer: 'builtin' | 'comprehend'): this {
    this.addEnvironment('PULSO_ANALYZER', analyzer);
    if (analyzer === 'comprehend')
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['comprehend:BatchDetectSentiment', 'comprehend:BatchDetectKeyPhrases'],
          resources: ['*'],
        }),
      );
    return this;
  }

  /** Grants publish on the topic (and use of its key) and sets ALERTS_TOPIC_ARN. */
  public bindTopic(topic: sns.ITopic): this {
    topic.grantPublish(this);
    this.addEnvironment('ALERTS_TOPIC_ARN', topic.topicArn);
    return this;
  }

  /** Grants ses:SendEmail/SendRawEmail on this identity only and sets MAIL_FROM. */
  public bindMailer(identity: ses.IEmailIdentity, from: string): this {
    identity.grantSendEmail(this);
    this.addEnvironment('MAIL_FROM', from);
    return this;
  }

  /** Grants sending to the campaign queue and sets CAMPAIGN_QUEUE_URL. */
  public bindCampaignQueue(queue: sqs.IQueue): this {
    queue.grantSendMessages(this);
    this.addEnvironment('CAMPAIGN_QUEUE_URL', queue.queueUrl);
    return this;
  }

  /** Grants sending to the export queue and sets EXPORT_QUEUE_URL. */
  public bindExportQueue(queue: sqs.IQueue): this {
    queue.grantSendMessages(this);
    this.addEnvironment('EXPORT_QUEUE_URL', queue.queueUrl);
    return this;
  }

  /**
   * Sets EXPORTS_BUCKET and grants reading its files (`read`: presigned links carry the signer's rights) or
   * writing them (`write`: multipart uploads).
   */
  public bindExportFiles(bucket: s3.IBucket, access: 'read' | 'write' | 'erase'): this {
    const actions = {
      read: ['s3:GetObject'],
      write: ['s3:PutObject', 's3:AbortMultipartUpload'],
      erase: ['s3:DeleteObject'],
    };
    this.addToRolePolicy(
      new PolicyStatement({
        actions: actions[access],
        resources: [bucket.arnForObjects(`${EXPORTS_PREFIX}*`)],
      }),
    );
    this.addEnvironment('EXPORTS_BUCKET', bucket.bucketName);
    return this;
  }
}
