import { CfnOutput, type RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { WarmThroughput } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { AUDIT_RETENTION_DAYS } from '#access/rules/audit.ts';
import { Admin } from '#lib/admin.ts';
import { Aggregation } from '#lib/aggregation.ts';
import { Alerting } from '#lib/alerting.ts';
import { Capture, type CaptureThrottle } from '#lib/capture.ts';
import { Data } from '#lib/data.ts';
import { Exports } from '#lib/exports.ts';
import { Invitations } from '#lib/invitations.ts';
import type { PulsoFunction } from '#lib/pulso-function.ts';
import { Reports } from '#lib/reports.ts';
import { type ApiRoutes, addApiRoutes } from '#lib/routes.ts';
import { Workspace } from '#lib/workspace.ts';

export interface PulsoStackProps extends StackProps {
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /**
   * Throughput the table serves at once, for a launch or a campaign bigger than the table has seen: DynamoDB
   * pre-warms to it (billed once). See docs/performance.md, "A survey that goes viral".
   * @default - what on-demand gives a new table: 4,000 writes and 12,000 reads a second, rising with use
   */
  readonly tableWarmThroughput?: WarmThroughput;
  /**
   * Issuer of admin JWTs; with `jwtAudience`, replaces the created Cognito user pool.
   * @default - a Cognito user pool is created
   */
  readonly jwtIssuer?: string;
  /**
   * Accepted audiences for `jwtIssuer`.
   * @default - the created user pool's app client
   */
  readonly jwtAudience?: string[];
  /**
   * The web app's client id at `jwtIssuer`, written to its config.json.
   * @default - the first of `jwtAudience`
   */
  readonly appClientId?: string;
  /**
   * The scopes the web app asks `jwtIssuer` for.
   * @default ['openid', 'email', 'profile']
   */
  readonly appScopes?: string[];
  /**
   * With `jwtIssuer`: the access-token claim naming a person's groups, whose values are Pulso's roles.
   * @default 'groups'
   */
  readonly jwtGroupsClaim?: string;
  /**
   * Days the audit trail keeps who read personal data and who changed what (30 to 3,650).
   * @default 365
   */
  readonly auditRetentionDays?: number;
  /**
   * Prefix of the created user pool's managed-login domain (`<prefix>.auth.<region>.amazoncognito.com`).
   * @default - `pulso-` and the stack's GUID
   */
  readonly cognitoDomainPrefix?: string;
  /**
   * Further callback and sign-out URLs of the web app's client (created user pool only), besides the app's own.
   * @default - only the app's own URLs
   */
  readonly callbackUrls?: string[];
  /**
   * A domain name of the team's own for the web app (with `appCertificateArn`).
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly appDomainName?: string;
  /**
   * ARN of an ACM certificate in us-east-1 for `appDomainName`.
   * @default - CloudFront's default certificate
   */
  readonly appCertificateArn?: string;
  /**
   * Sender address of alert and invitation emails.
   * @default 'alerts@example.com'
   */
  readonly mailFrom?: string;
  /**
   * Existing verified SES identity to send from.
   * @default - an email identity for `mailFrom` is created
   */
  readonly sesIdentity?: string;
  /**
   * Browser origins allowed to call the API.
   * @default ['*']
   */
  readonly corsAllowOrigins?: string[];
  /**
   * Default throttling of the API stage: requests a second across all routes (a web answer is two: the page
   * and the post). See docs/performance.md, "A survey that goes viral", for what a big campaign needs.
   * @default { rateLimit: 200, burstLimit: 400 }
   */
  readonly throttle?: CaptureThrottle;
  /**
   * The Amazon Connect instance whose contact flows may invoke Pulso's contact-flow function (docs/vendors.md).
   * @default - none
   */
  readonly connectInstanceArn?: string;
  /**
   * With `connectInstanceArn`: associate the function with the instance, so its flows list it.
   * @default true
   */
  readonly associateWithConnect?: boolean;
  /**
   * Who reads comments as they come in (docs/insight.md): the built-in analyzer inside the Lambda, or Amazon
   * Comprehend (about $0.0006 a comment; the built-in one reads what Comprehend cannot).
   * @default 'builtin'
   */
  readonly commentAnalyzer?: 'builtin' | 'comprehend';
  /**
   * Seconds the aggregator gathers responses before folding them (0 to 300): fresher figures or cheaper ones.
   * @default 20
   */
  readonly aggregationWindowSeconds?: number;
  /**
   * Case alerts an owner gets one by one in an hour; the rest come in one digest after the hour.
   * @default 10
   */
  readonly alertsPerOwnerPerHour?: number;
  /**
   * Campaign invitations per second (keep within the account's SES sending rate).
   * @default 14
   */
  readonly sendRatePerSecond?: number;
  /**
   * Concurrent campaign senders.
   * @default 2
   */
  readonly senderConcurrency?: number;
  /**
   * The hour (UTC, 0-23) from which owners' daily, weekly and monthly reports go out.
   * @default 9
   */
  readonly reportHourUtc?: number;
}

/** Pulso: capture, aggregation, alerting, the admin API and the CX team's web app around one DynamoDB table. */
export class PulsoStack extends Stack {
  public readonly data: Data;
  public readonly capture: Capture;
  public readonly admin: Admin;
  public readonly aggregation: Aggregation;
  public readonly alerting: Alerting;
  public readonly invitations: Invitations;
  /** The CX team's web app on CloudFront, with the API under `/v1/*` on its origin. */
  public readonly workspace: Workspace;
  public readonly exports: Exports;
  public readonly reports: Reports;
  /** The API's routes, from the route table. */
  public readonly routes: ApiRoutes;
  /** Every Lambda function of the stack. */
  public readonly functions: PulsoFunction[];

  constructor(scope: Construct, id: string, props: PulsoStackProps = {}) {
    super(scope, id, props);

    this.data = new Data(this, 'Data', {
      removalPolicy: props.tableRemovalPolicy,
      warmThroughput: props.tableWarmThroughput,
    });
    const table = this.data.table;
    this.capture = new Capture(this, 'Capture', {
      table,
      corsAllowOrigins: props.corsAllowOrigins,
      throttle: props.throttle,
      connectInstanceArn: props.connectInstanceArn,
      associateWithConnect: props.associateWithConnect,
    });
    this.admin = new Admin(this, 'Admin', {
      table,
      jwtIssuer: props.jwtIssuer,
      jwtAudience: props.jwtAudience,
      appClientId: props.appClientId,
      appScopes: props.appScopes,
      jwtGroupsClaim: props.jwtGroupsClaim,
      cognitoDomainPrefix: props.cognitoDomainPrefix,
      callbackUrls: props.callbackUrls,
    });
    if (Boolean(props.appDomainName) !== Boolean(props.appCertificateArn)) {
      throw new Error('PulsoStack: appDomainName and appCertificateArn must be given together');
    }
    // After the sign-in: the app's client is made for the distribution's URL, and its config names the client.
    this.workspace = new Workspace(this, 'Workspace', {
      api: this.capture.api,
      signIn: this.admin.signIn,
      domainName: props.appDomainName,
      certificate: props.appCertificateArn
        ? Certificate.fromCertificateArn(this, 'AppCertificate', props.appCertificateArn)
        : undefined,
    });
    this.exports = new Exports(this, 'Exports', { table, accessLogs: this.workspace.logBucket });
    // The table stream's two readers per shard are both taken here (aggregator, alerter); further consumers
    // go through EventBridge Pipes or Kinesis Data Streams for DynamoDB (see stream-consumer.ts).
    this.aggregation = new Aggregation(this, 'Aggregation', {
      table,
      batchingWindowSeconds: props.aggregationWindowSeconds,
    });
    this.alerting = new Alerting(this, 'Alerting', {
      table,
      mailFrom: props.mailFrom,
      sesIdentity: props.sesIdentity,
      alertsPerOwnerPerHour: props.alertsPerOwnerPerHour,
    });

    // Threshold alerts on rolling figures are checked right after a fold, so the aggregator publishes them too
    // and emails the segment's owner.
    this.aggregation.aggregator
      .bindTopic(this.alerting.topic)
      .bindMailer(this.alerting.mailIdentity, this.alerting.mailFrom);

    this.reports = new Reports(this, 'Reports', {
      table,
      mailIdentity: this.alerting.mailIdentity,
      mailFrom: this.alerting.mailFrom,
      appUrl: this.workspace.url,
      reportHourUtc: props.reportHourUtc,
    });

    this.invitations = new Invitations(this, 'Invitations', {
      table,
      mailIdentity: this.alerting.mailIdentity,
      mailFrom: props.mailFrom ?? this.alerting.mailFrom,
      sendRatePerSecond: props.sendRatePerSecond,
      senderConcurrency: props.senderConcurrency,
    });
    // Erasing a person at their request removes the response files that may hold their answers.
    this.invitations.contacts.bindExportFiles(this.exports.bucket, 'erase');
    // Customers' follow-ups after a resolved case go from the escalation sweep to the campaign senders, which
    // send within the SES and SNS rates from the invitations' address.
    this.alerting.escalations.bindCampaignQueue(this.invitations.queue);

    this.routes = addApiRoutes(this.capture.api, {
      authorizer: this.admin.authorizer,
      enforceScopes: this.admin.enforcesScopes,
      groupsClaim: this.admin.groupsClaim,
      auditRetentionDays: props.auditRetentionDays ?? AUDIT_RETENTION_DAYS,
      functions: {
        surveyPage: this.capture.surveyPage,
        caseLinks: this.capture.caseLinks,
        submitResponse: this.capture.submitResponse,
        webhook: this.capture.webhook,
        surveys: this.admin.surveys,
        metrics: this.admin.metrics,
        responses: this.admin.responses,
        exports: this.exports.exports,
        shareLinks: this.admin.shareLinks,
        cases: this.admin.cases,
        plans: this.admin.plans,
        contacts: this.invitations.contacts,
        campaigns: this.invitations.campaigns,
        access: this.admin.access,
      },
    });

    this.functions = [
      this.capture.surveyPage,
      this.capture.submitResponse,
      this.capture.webhook,
      this.capture.caseLinks,
      this.capture.contactFlow,
      this.admin.surveys,
      this.admin.metrics,
      this.admin.responses,
      this.exports.exports,
      this.exports.exporter,
      this.admin.shareLinks,
      this.admin.cases,
      this.admin.plans,
      this.aggregation.aggregator,
      this.alerting.alerter,
      this.alerting.escalations,
      this.reports.reporter,
      this.reports.trainer,
      this.invitations.contacts,
      this.invitations.campaigns,
      this.invitations.sender,
      this.invitations.deliveryEvents,
      this.invitations.reminders,
      this.invitations.smsInbound,
      this.invitations.conversationSweep,
      this.admin.access,
      ...(this.admin.tokenScopes ? [this.admin.tokenScopes] : []),
    ];
    // Survey links and dashboard links in pages and emails are built from the API's own URL.
    for (const fn of this.functions) {
      fn.addEnvironment('PUBLIC_URL', this.capture.url);
    }
    // The functions that take answers read their comments as they come in.
    for (const fn of [
      this.capture.surveyPage,
      this.capture.submitResponse,
      this.capture.webhook,
      this.capture.contactFlow,
      this.invitations.smsInbound,
    ])
      fn.bindCommentAnalyzer(props.commentAnalyzer ?? 'builtin');

    new CfnOutput(this, 'ApiUrl', { value: this.capture.url, description: 'Base URL of the Pulso API' });
    new CfnOutput(this, 'AppUrl', {
      value: this.workspace.url,
      description: "The CX team's web app (its API is under /v1/ on the same origin)",
    });
    new CfnOutput(this, 'AppDistributionDomainName', {
      value: this.workspace.distribution.distributionDomainName,
      description: "The web app's CloudFront name: where appDomainName's DNS record (CNAME or alias) points",
    });
    new CfnOutput(this, 'AlertsTopicArn', {
      value: this.alerting.topic.topicArn,
      description: 'Subscribe email, SMS or chat endpoints here to receive alerts',
    });
    new CfnOutput(this, 'ContactFlowFunctionArn', {
      value: this.capture.contactFlow.functionArn,
      description: 'What an Amazon Connect contact flow invokes (docs/vendors.md)',
    });
    new CfnOutput(this, 'InboundSmsTopicArn', {
      value: this.invitations.inboundSmsTopic.topicArn,
      description:
        "Set as a two-way number's SNS destination in End User Messaging SMS (docs/conversations.md)",
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    if (this.admin.userPool && this.admin.userPoolClient) {
      new CfnOutput(this, 'UserPoolId', {
        value: this.admin.userPool.userPoolId,
        description: 'Create admin users here',
      });
      new CfnOutput(this, 'UserPoolClientId', { value: this.admin.userPoolClient.userPoolClientId });
    }
  }
}
