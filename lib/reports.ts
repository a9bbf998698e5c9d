import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PulsoFunction } from '#lib/pulso-function.ts';
import { createFailureQueue } from '#lib/stream-consumer.ts';

export interface ReportsProps {
  readonly table: ITable;
  readonly mailIdentity: IEmailIdentity;
  readonly mailFrom: string;
  /** The web app's URL (`https://.../app/`): reports link each place and case there. */
  readonly appUrl: string;
  /**
   * The hour (UTC) from which the day's reports go out.
   * @default 9
   */
  readonly reportHourUtc?: number;
}

/** Owners' scheduled reports by email: an hourly run sends each daily, weekly or monthly report once. */
export class Reports extends Construct {
  public readonly reporter: PulsoFunction;
  /** The nightly training of the deployment's sentiment classifiers (decision 0025). */
  public readonly trainer: PulsoFunction;
  /** Report runs that failed after every retry. */
  public readonly failures: Queue;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    this.failures = createFailureQueue(this, 'ReporterDlq');
    this.reporter = new PulsoFunction(this, 'Reporter', {
      entry: 'lambdas/handlers/reporter.ts',
      description: "Sends owners' daily, weekly and monthly reports",
      timeout: Duration.minutes(5),
      deadLetterQueue: this.failures,
    })
      .bindTable(props.table)
      .bindMailer(props.mailIdentity, props.mailFrom);
    this.reporter.addEnvironment('APP_URL', props.appUrl);
    if (props.reportHourUtc !== undefined)
      this.reporter.addEnvironment('REPORT_HOUR_UTC', String(props.reportHourUtc));
    new Rule(this, 'ReportSchedule', {
      description: 'Pulso scheduled reports (each goes out once, from its hour on)',
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(this.reporter, { retryAttempts: 2, deadLetterQueue: this.failures })],
    });
    this.trainer = new PulsoFunction(this, 'Trainer', {
      entry: 'lambdas/handlers/trainer.ts',
      description: "Trains the deployment's sentiment classifiers from its score-labelled comments",
      timeout: Duration.minutes(15),
      memorySize: 2048,
      deadLetterQueue: this.failures,
    }).bindTable(props.table);
    new Rule(this, 'TrainingSchedule', {
      description: "Pulso sentiment training (each language's classifier, used once it beats the baseline)",
      schedule: Schedule.cron({ minute: '30', hour: '3' }),
      targets: [new LambdaFunction(this.trainer, { retryAttempts: 2, deadLetterQueue: this.failures })],
    });
  }
}
