import { DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PersonalDataEraser } from '#access/ports.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

/**
 * Deletes a person's items by key: the response (and with it its place in the comment index), the case (its notes
 * and follow-up inside it), the invitation (its delivery events inside it). Streams ignore removals, so no figure
 * changes: the aggregates keep their counts.
 */
export class DynamoPersonalDataEraser implements PersonalDataEraser {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private async remove(key: { pk: string; sk: string }) {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: marshallKey(key) }));
  }

  eraseResponse(surveyId: string, submissionId: string) {
    return this.remove(keys.response(surveyId, submissionId));
  }

  eraseCase(caseId: string) {
    return this.remove(keys.case(caseId));
  }

  eraseInvitation(campaignId: string, contactId: string) {
    return this.remove(keys.invitation(campaignId, contactId));
  }

  eraseExport(exportId: string) {
    return this.remove(keys.export(exportId));
  }
}
