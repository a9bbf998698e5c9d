import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { BuiltinAnalyzer } from '#adapters/builtin-analyzer.ts';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { recordAnswers } from '#capture/use-cases/record-response.ts';
import { ConflictError } from '#kernel/errors.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { createTable, itemBytes, meteredClient } from './support.ts';

export interface QuestionFigures {
  readonly calls: number;
  readonly answers: number;
  /** Per answer stored: write and read units of the response item. */
  readonly writeUnitsPerAnswer: number;
  readonly readUnitsPerAnswer: number;
  /** A repeat of an answer stored (a vendor's retry), and another answer to a question already answered. */
  readonly repeatWriteUnits: number;
  readonly repeatReadUnits: number;
  readonly conflictWriteUnits: number;
  /** The largest response item: three scores, a comment, the place and an interaction. */
  readonly largestItemBytes: number;
}

/**
 * IVR calls through the real use case (`recordAnswers`) and the DynamoDB adapter, metered: each call answers NPS,
 * CSAT and CES one request each, one in five hangs up after the first, one in four leaves a comment at the end.
 * Then a retry of each answered question and a changed answer, metered one by one.
 */
export async function measureAnswersOneAtATime(endpoint: string, calls = 200): Promise<QuestionFigures> {
  const table = `bench-questions-${Date.now().toString(36)}`;
  const setup = meteredClient(endpoint);
  await createTable(setup.client, table);
  const survey = surveySchema.parse(demoSurvey);
  await new DynamoSurveyStore(setup.client, table).put(survey);
  const metered = meteredClient(endpoint);
  const now = new Date();
  const deps = {
    // The survey is read on the setup client: only the response item is metered.
    surveys: new DynamoSurveyStore(setup.client, table),
    responses: new DynamoResponseStore(metered.client, table),
    analyzer: new BuiltinAnalyzer(undefined, { now: () => now }),
    clock: { now: () => now },
  };
  const part = (call: number, answers: Record<string, string>) => ({
    surveyId: 'demo',
    submissionId: `twilio.CA${String(call).padStart(32, '0')}`,
    answers,
    attributes: { store: `s-${String(call % 50).padStart(3, '0')}`, region: `r-${call % 5}`, channel: 'ivr' },
    capturedVia: 'webhook:twilio' as const,
    interaction: {
      id: `CA${String(call).padStart(32, '0')}`,
      vendor: 'twilio',
      queue: 'billing',
      agent: `agent-${call % 12}`,
      openedAt: new Date(now.getTime() - 3_600_000).toISOString(),
      firstResponseAt: new Date(now.getTime() - 3_000_000).toISOString(),
      contacts: 1 + (call % 3),
    },
  });
  let answers = 0;
  for (let call = 0; call < calls; call++) {
    const questions: Record<string, string>[] = [{ nps: String(call % 11) }];
    if (call % 5 !== 4) questions.push({ csat: String(1 + (call % 5)) }, { ces: String(1 + (call % 7)) });
    if (call % 4 === 0 && call % 5 !== 4)
      questions.push({ comment: 'Tardaron mucho en atender, pero resolvieron' });
    for (const q of questions) {
      await recordAnswers(deps, part(call, q));
      answers++;
    }
  }
  const stored = { writes: metered.meter.writeUnits, reads: metered.meter.readUnits };
  await recordAnswers(deps, part(0, { nps: '0' }));
  const repeatWriteUnits = metered.meter.writeUnits - stored.writes;
  const repeatReadUnits = metered.meter.readUnits - stored.reads;
  const before = metered.meter.writeUnits;
  await recordAnswers(deps, part(0, { nps: '9' })).catch((err: unknown) => {
    if (!(err instanceof ConflictError)) throw err;
  });
  const conflictWriteUnits = metered.meter.writeUnits - before;
  const { Items = [] } = await setup.client.send(new ScanCommand({ TableName: table }));
  return {
    calls,
    answers,
    writeUnitsPerAnswer: stored.writes / answers,
    readUnitsPerAnswer: stored.reads / answers,
    repeatWriteUnits,
    repeatReadUnits,
    conflictWriteUnits,
    largestItemBytes: Math.max(...Items.map((i) => itemBytes(i))),
  };
}
