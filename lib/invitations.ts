import { type HttpApi, HttpMethod, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { PulsoFunction } from './pulso-function.ts';

export interface InvitationsProps {
  /** The HTTP API to add the routes to. */
  readonly api: HttpApi;
  /** The Pulso table. */
  readonly table: ITable;
  /** The admin JWT authorizer. */
  readonly authorizer: IHttpRouteAuthorizer;
}

/** Contacts (import, read, erase); campaigns and sending come next. */
export class Invitations extends Construct {
  public readonly contacts: PulsoFunction;

  constructor(scope: Construct, id: string, props: InvitationsProps) {
    super(scope, id);
    this.contacts = new PulsoFunction(this, 'Contacts', {
      entry: 'lambdas/handlers/contacts.ts',
      description: 'Imports, reads and erases contacts',
    }).bindTable(props.table);
    const integration = new HttpLambdaIntegration('ContactsIntegration', this.contacts);
    props.api.addRoutes({
      path: '/v1/contacts/import',
      methods: [HttpMethod.POST],
      integration,
      authorizer: props.authorizer,
    });
    props.api.addRoutes({
      path: '/v1/contacts/{contactId}',
      methods: [HttpMethod.GET, HttpMethod.DELETE],
      integration,
      authorizer: props.authorizer,
    });
  }
}
