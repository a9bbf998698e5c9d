import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { CfnIntegrationAssociation } from 'aws-cdk-lib/aws-connect';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PulsoFunction } from '#lib/pulso-function.ts';

export interface CaptureThrottle {
  /**
   * Steady-state requests per second across the stage.
   * @default 200
   */
  readonly rateLimit?: number;
  /**
   * Burst bucket size.
   * @default 400
   */
  readonly burstLimit?: number;
}

export interface CaptureProps {
  /** The Pulso table. */
  readonly table: ITable;
  /**
   * Origins allowed to call the JSON API from a browser.
   * @default ['*'] - survey answers come from any site that embeds Pulso; admin calls carry a bearer token, not cookies
   */
  readonly corsAllowOrigins?: string[];
  /**
   * Default throttling of the API stage, protecting the table from floods and ballot stuffing.
   * @default { rateLimit: 200, burstLimit: 400 }
   */
  readonly throttle?: CaptureThrottle;
  /**
   * Retention of the API access log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: RetentionDays;
  /**
   * The Amazon Connect instance whose contact flows may invoke the contact-flow function
   * (`arn:aws:connect:<region>:<account>:instance/<id>`).
   * @default - no Connect instance may invoke it
   */
  readonly connectInstanceArn?: string;
  /**
   * With `connectInstanceArn`: also associate the function with the instance, so flows can pick it in the
   * "Invoke AWS Lambda function" block.
   * @default true
   */
  readonly associateWithConnect?: boolean;
}

/** An Amazon Connect instance ARN. */
export const CONNECT_INSTANCE_ARN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/;

// HTTP API context variables only; structured so Logs Insights can query by field.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/**
 * The HTTP API and the functions of its public routes: the survey page, the JSON response API, vendor webhooks
 * and signed case links. Their routes (lib/routes.ts, from the route table) are the public survey contract, so
 * they carry no authorizer; each handler validates its input (signed tokens, webhook signatures) and the stage
 * throttles.
 */
export class Capture extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  /** Base URL of the API, ending in `/`. */
  public readonly url: string;
  public readonly surveyPage: PulsoFunction;
  public readonly submitResponse: PulsoFunction;
  public readonly webhook: PulsoFunction;
  /** The one-click acknowledge link of alert emails. */
  public readonly caseLinks: PulsoFunction;
  /** What Amazon Connect contact flows invoke directly, with a question's answer. */
  public readonly contactFlow: PulsoFunction;

  constructor(scope: Construct, id: string, props: CaptureProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Api', {
      description: 'Pulso survey capture and admin API',
      // The default stage is created below so it can carry throttling and access logs.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsAllowOrigins ?? ['*'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.OPTIONS],
        allowHeaders: ['content-type', 'authorization', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttle?.rateLimit ?? 200,
        burstLimit: props.throttle?.burstLimit ?? 400,
      },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    this.url = this.stage.url;

    this.surveyPage = new PulsoFunction(this, 'SurveyPage', {
      entry: 'lambdas/handlers/survey-page.ts',
      description: 'Renders the survey page and stores its form post',
    }).bindTable(props.table);
    this.submitResponse = new PulsoFunction(this, 'SubmitResponse', {
      entry: 'lambdas/handlers/submit-response.ts',
      description: 'Stores a JSON survey response, idempotent on submissionId',
    }).bindTable(props.table);
    this.webhook = new PulsoFunction(this, 'Webhook', {
      entry: 'lambdas/handlers/webhook.ts',
      description: 'Verifies and stores vendor webhook responses',
    }).bindTable(props.table);

    this.caseLinks = new PulsoFunction(this, 'CaseLinks', {
      entry: 'lambdas/handlers/case-links.ts',
      description: 'Signed case links: owners acknowledge from their email, customers answer their follow-up',
    }).bindTable(props.table);

    this.contactFlow = new PulsoFunction(this, 'ContactFlow', {
      entry: 'lambdas/handlers/contact-flow.ts',
      description: 'Stores the answers an Amazon Connect contact flow sends, one question at a time',
      // Connect waits at most 8 seconds for a function.
      timeout: Duration.seconds(8),
    }).bindTable(props.table);
    const instanceArn = props.connectInstanceArn;
    if (instanceArn !== undefined) {
      if (!CONNECT_INSTANCE_ARN.test(instanceArn))
        throw new Error(
          `Capture: connectInstanceArn must be an Amazon Connect instance ARN, not "${instanceArn}"`,
        );
      // Only this instance's flows, in this account, may invoke it.
      this.contactFlow.addPermission('ConnectInvoke', {
        principal: new ServicePrincipal('connect.amazonaws.com'),
        sourceArn: instanceArn,
        sourceAccount: Stack.of(this).account,
      });
      if (props.associateWithConnect ?? true) {
        new CfnIntegrationAssociation(this, 'ConnectAssociation', {
          instanceId: instanceArn,
          integrationType: 'LAMBDA_FUNCTION',
          integrationArn: this.contactFlow.functionArn,
        });
      }
    }
  }
}
