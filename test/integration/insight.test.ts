import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinAnalyzer } from '#adapters/builtin-analyzer.ts';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { DynamoSentimentModelStore } from '#adapters/dynamodb/sentiment-models.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { segmentsOf } from '#aggregation/rules/aggregation.ts';
import { commentCountersOf } from '#aggregation/rules/comments.ts';
import { foldBatch, LaneMemory } from '#aggregation/use-cases/fold-batch.ts';
import { recordResponse } from '#capture/use-cases/record-response.ts';
import type { Analysis } from '#kernel/analysis.ts';
import { npsBand } from '#kernel/metrics.ts';
import { demoSurvey, type Locale, surveySchema } from '#kernel/survey.ts';
import type { Runtime } from '#local/runtime.ts';
import { createTable } from '../../bench/support.ts';
import { builtinAnalyzer } from '../support/fakes.ts';
import { aggregatorRecords, foldOn, scanTable } from '../support/fold-harness.ts';
import { type client, startTestDynamo, startTestRuntime } from '../support/http.ts';

const survey = surveySchema.parse(demoSurvey);
const run = Date.now().toString(36);

/** Comments a CX team gets, in three languages, with the NPS they came with. */
const COMMENTS: ReadonlyArray<readonly [Locale, number, string]> = [
  ['es', 2, 'Esperamos casi una hora en la fila y la cajera fue grosera'],
  ['es', 3, 'Muy caro para lo que es, no vuelvo'],
  ['es', 10, 'Excelente atención, el personal muy amable'],
  ['es', 9, 'No tuve que esperar nada, todo rápido'],
  ['es', 7, 'Normal, el baño estaba limpio'],
  ['pt', 1, 'Demorou demais, fila enorme e atendente sem paciência'],
  ['pt', 4, 'Produto chegou quebrado, péssimo'],
  ['pt', 10, 'Ótimo atendimento, preço justo'],
  ['pt', 9, 'Entrega rápida, adorei'],
  ['en', 0, 'Terrible wait at the till, staff were rude'],
  ['en', 8, 'The store was clean but prices went up'],
  ['en', 10, 'Lovely staff, quick checkout'],
  // Written in Spanish on an English page: read as Spanish.
  ['en', 5, 'La espera fue eterna y el servicio muy malo'],
];

const body = (i: number, store: string) => {
  const [locale, nps, comment] = COMMENTS[i] as (typeof COMMENTS)[number];
  return {
    surveyId: 'demo',
    submissionId: `insight-${run}-${store}-${i}`,
    answers: { nps, csat: nps > 6 ? 5 : 2, ces: 4, comment },
    attributes: { store },
    locale,
  };
};

describe('comment analytics on the local runtime', () => {
  let rt: Runtime;
  let api: ReturnType<typeof client>;
  let ddb: DynamoDBClient;
  let stop: (() => Promise<void>) | undefined;
  let lambda: LambdaClient;

  beforeAll(async () => {
    ({ rt, api, ddb, stop } = await startTestRuntime());
    if (!rt.vendors) throw new Error('no vendors in the runtime');
    lambda = new LambdaClient({
      endpoint: rt.vendors.connect.lambdaEndpoint,
      region: rt.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    lambda?.destroy();
    await stop?.();
  });

  /** A contact flow's answer, one question at a time, as Amazon Connect invokes the function. */
  const flowAnswer = async (contactId: string, question: string, answer: string, store: string) => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: rt.vendors?.connect.functionName,
        Payload: new TextEncoder().encode(
          JSON.stringify({
            Name: 'ContactFlowEvent',
            Details: {
              ContactData: {
                Attributes: { store },
                Channel: 'VOICE',
                ContactId: contactId,
                LanguageCode: 'es-MX',
              },
              Parameters: { survey: 'demo', question, answer },
            },
          }),
        ),
      }),
    );
    return JSON.parse(new TextDecoder().decode(out.Payload)) as Record<string, unknown>;
  };

  it('reads comments in three languages into theme and sentiment figures that equal a recount', async () => {
    const store = `s-insight-${run}`;
    for (let i = 0; i < COMMENTS.length; i++) expect((await api.respond(body(i, store))).status).toBe(201);
    // A retry and two concurrent duplicates count nothing twice.
    const again = await Promise.all([
      api.respond(body(0, store)),
      api.respond(body(0, store)),
      api.respond(body(5, store)),
    ]);
    expect(again.map((a) => a.status)).toEqual([200, 200, 200]);
    // A call answers its NPS first and its comment later: the comment is read and counted with the later answer.
    const contact = randomUUID();
    expect(await flowAnswer(contact, 'nps', '3', store)).toMatchObject({ status: 'created' });
    await rt.idle();
    expect(
      await flowAnswer(contact, 'comment', 'El agente fue grosero y la espera larguísima', store),
    ).toMatchObject({
      status: 'created',
    });
    expect(
      await flowAnswer(contact, 'comment', 'El agente fue grosero y la espera larguísima', store),
    ).toMatchObject({
      status: 'duplicate',
    });
    await rt.idle();

    // The listing carries each reading; the recount is made from it.
    const listed: Array<{ analysis?: Analysis; scores: Array<{ questionId: string; score: number }> }> = [];
    let cursor: string | undefined;
    do {
      const res = await api.admin(
        'GET',
        `v1/surveys/demo/responses?window=7d&segment=store:${store}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      listed.push(...res.json.items);
      cursor = res.json.cursor;
    } while (cursor);
    expect(listed).toHaveLength(COMMENTS.length + 1);
    for (const r of listed) {
      expect(Object.keys(r.analysis ?? {}).sort()).toEqual([
        'analyzer',
        'confidence',
        'language',
        'sentiment',
        'themes',
      ]);
      expect(r.analysis?.analyzer).toBe('builtin');
    }
    const readings = listed.map((r) => ({
      analysis: r.analysis as Analysis,
      nps: r.scores.find((s) => s.questionId === 'nps')?.score,
    }));
    // Each language read as written, the Spanish comment on the English page included.
    const languages = readings.map((r) => r.analysis.language);
    expect(languages.filter((l) => l === 'es')).toHaveLength(7);
    expect(languages.filter((l) => l === 'pt')).toHaveLength(4);
    expect(languages.filter((l) => l === 'en')).toHaveLength(3);

    const res = await api.admin('GET', `v1/surveys/demo/metrics?window=7d&segment=store:${store}`);
    expect(res.status).toBe(200);
    const { sentiment, themes } = res.json;
    const count = (test: (r: (typeof readings)[number]) => boolean) => readings.filter(test).length;
    expect(sentiment).toMatchObject({
      n: readings.length,
      negative: count((r) => r.analysis.sentiment === 'negative'),
      neutral: count((r) => r.analysis.sentiment === 'neutral'),
      positive: count((r) => r.analysis.sentiment === 'positive'),
    });
    expect(sentiment.negative).toBeGreaterThanOrEqual(7);
    expect(sentiment.positive).toBeGreaterThanOrEqual(4);
    for (const theme of themes as Array<{ id: string; comments: number; bands: Record<string, number> }>) {
      const mentioning = readings.filter((r) => r.analysis.themes.includes(theme.id));
      expect(theme.comments, theme.id).toBe(mentioning.length);
      for (const band of ['detractor', 'passive', 'promoter'])
        expect(theme.bands[band], `${theme.id} ${band}`).toBe(
          mentioning.filter((r) => r.nps !== undefined && npsBand(r.nps) === band).length,
        );
    }
    const waiting = themes.find((t: { id: string }) => t.id === 'waiting');
    expect(waiting.comments).toBeGreaterThanOrEqual(6);
    // Those who talk about waiting give a far lower NPS than the rest.
    expect(waiting.npsMentioning).toBeLessThan(waiting.npsOthers);
    expect(waiting.impact.value).toBeLessThan(0);
    expect(waiting.impact.ci95.low).toBeLessThan(waiting.impact.value);

    // The Comments screen's filters: by theme and by sentiment.
    const filtered = await api.admin(
      'GET',
      `v1/surveys/demo/responses?window=7d&segment=store:${store}&theme=waiting&sentiment=negative&limit=100`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.json.items.length).toBe(
      count((r) => r.analysis.themes.includes('waiting') && r.analysis.sentiment === 'negative'),
    );
    const unknown = await api.admin('GET', `v1/surveys/demo/responses?window=7d&theme=parking`);
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.json)).toContain('"theme"');
  });
  it("finds the phrases rising in a store's comments before any theme names them", async () => {
    const store = `s-phrases-${run}`;
    const comments = [
      'Me dijeron tarjeta rechazada y no pude pagar',
      'Otra vez TARJETA RECHAZADA en la caja',
      'tarjeta rechazada, qué vergüenza',
      'La terminal marcaba tarjeta rechazada',
      'Todo bien, gracias',
      'Muy amables',
    ];
    // The week before, through the capture use case on the runtime's table (the API stamps today): other words.
    const lastWeek = new Date(Date.now() - 9 * 86_400_000);
    const before = {
      surveys: new DynamoSurveyStore(ddb, rt.tableName),
      responses: new DynamoResponseStore(ddb, rt.tableName),
      analyzer: builtinAnalyzer,
      clock: { now: () => lastWeek },
    };
    for (let i = 0; i < 20; i++)
      await recordResponse(before, {
        surveyId: 'demo',
        submissionId: `phrases-before-${run}-${i}`,
        answers: {
          nps: 8,
          csat: 4,
          ces: 4,
          comment: i % 2 ? 'Todo bien, gracias' : 'La fila larga como siempre',
        },
        attributes: { store },
        locale: 'es',
        capturedVia: 'api',
      });
    for (const [i, comment] of comments.entries()) {
      const res = await api.respond({
        surveyId: 'demo',
        submissionId: `phrases-${run}-${i}`,
        answers: { nps: i < 4 ? 3 : 9, csat: 3, ces: 4, comment },
        attributes: { store },
        locale: 'es',
      });
      expect(res.status).toBe(201);
    }
    await rt.idle();
    const res = await api.admin('GET', `v1/surveys/demo/phrases?window=7d&segment=store:${store}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ segment: `store:${store}`, comments: 6, previousComments: 20 });
    expect(res.json.phrases[0]).toMatchObject({ phrase: 'tarjeta rechazada', comments: 4, previous: 0 });
    // "todo bien" came up as often before: it did not rise.
    expect(res.json.phrases.map((p: { phrase: string }) => p.phrase)).not.toContain('todo bien');
    expect((await api.admin('GET', 'v1/surveys/demo/phrases?segment=planet:mars')).status).toBe(400);
    expect((await api.call('GET', 'v1/surveys/demo/phrases')).status).toBe(401);
  });

  it("trains a language's classifier from the deployment's score-labelled comments, used once it beats the baseline", async () => {
    // A deployment whose customers praise and complain in slang the baseline does not know ("chido", "gacho",
    // "chafa", "padrísimo"), with the scores that say what they meant.
    const good = ['muy chido todo', 'padrísimo el lugar', 'qué chido, regreso pronto', 'chido el trato'];
    const bad = ['bien gacho el trato', 'todo chafa', 'qué gacho, no regreso', 'chafa y gacho'];
    const store = `s-train-${run}`;
    for (let i = 0; i < 260; i++) {
      const positive = i % 2 === 0;
      const res = await api.respond({
        surveyId: 'demo',
        submissionId: `train-${run}-${i}`,
        answers: {
          nps: positive ? 9 + (i % 2) : i % 5,
          csat: positive ? 5 : 1,
          ces: 4,
          comment: `${(positive ? good : bad)[i % 4]} ${i % 7 === 0 ? 'hoy' : ''}`.trim(),
        },
        attributes: { store },
        locale: 'es',
      });
      expect(res.status).toBe(201);
    }
    await rt.idle();
    await rt.runSchedule('TrainingSchedule');
    await rt.idle();
    const models = await new DynamoSentimentModelStore(ddb, rt.tableName).all();
    const es = models.find((m) => m.language === 'es');
    expect(es?.inUse).toBe(true);
    expect(es?.learned.binary).toBeGreaterThan(es?.baseline.binary ?? 1);
    expect(es?.model.trainedOn).toBeGreaterThanOrEqual(200);
    // Too few Portuguese and English comments to learn from: no classifier for them.
    expect(models.map((m) => m.language)).toEqual(['es']);
    // A container that loads the classifiers reads Spanish slang with it, and Portuguese with the baseline.
    const analyzer = new BuiltinAnalyzer(new DynamoSentimentModelStore(ddb, rt.tableName), {
      now: () => new Date(),
    });
    const [slang, portuguese] = await analyzer.analyze([
      { text: 'qué chafa y gacho', locale: 'es' },
      { text: 'Péssimo atendimento', locale: 'pt' },
    ]);
    expect(slang).toMatchObject({ sentiment: 'negative', analyzer: 'learned' });
    expect(portuguese).toMatchObject({ sentiment: 'negative', analyzer: 'builtin' });
  });
});

describe('comment counters across stream retries, on DynamoDB Local', () => {
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
  let client: DynamoDBClient;
  beforeAll(async () => {
    dynamo = await startTestDynamo();
    client = dynamo.client;
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('counts each read comment once after a crash half way and a batch handed again', async () => {
    const table = `insight-${Date.now()}`;
    const streamArn = await createTable(client, table);
    await new DynamoSurveyStore(client, table).put(survey);
    const deps = {
      surveys: new DynamoSurveyStore(client, table),
      responses: new DynamoResponseStore(client, table),
      analyzer: builtinAnalyzer,
      clock: { now: () => new Date() },
    };
    for (let k = 0; k < 60; k++) {
      const i = k % COMMENTS.length;
      const [, , comment] = COMMENTS[i] as (typeof COMMENTS)[number];
      await recordResponse(deps, {
        ...body(i, `s-${k % 3}`),
        submissionId: `retry-${k}`,
        answers: { nps: (k * 7) % 11, csat: 3, ces: 4, ...(k % 4 === 3 ? {} : { comment }) },
        capturedVia: 'api',
      });
    }
    const records = await aggregatorRecords(dynamo.engine.endpoint, streamArn);
    expect(records.filter((r) => r.analysed)).toHaveLength(45);
    const { aggregates, deps: foldDeps } = foldOn(client, table);
    aggregates.limit = 3;
    await foldBatch(foldDeps(), records.slice(0, 40));
    aggregates.limit = Number.POSITIVE_INFINITY;
    const memory = new LaneMemory();
    await foldBatch(foldDeps(memory), records.slice(0, 40));
    await foldBatch(foldDeps(memory), records.slice(40));
    // The last batch handed again (its checkpoint was lost), once whole, once shorter to another container.
    await foldBatch(foldDeps(memory), records.slice(40));
    await foldBatch(foldDeps(), records.slice(40, 50));

    const items = await scanTable(client, table);
    const expected = new Map<string, Record<string, number>>();
    for (const item of items.filter((i) => i.type === 'response' && i.analysis)) {
      const response = item as unknown as Parameters<typeof segmentsOf>[1] & { analysis: Analysis };
      const day = response.receivedAt.slice(0, 10);
      for (const segment of segmentsOf(survey, response)) {
        const key = `AGG#demo#${segment.key}#${segment.value}|DAY#${day}`;
        const sums = expected.get(key) ?? {};
        for (const [name, n] of Object.entries(
          commentCountersOf(survey, { analysis: response.analysis, answers: response.answers }),
        ))
          sums[`c#${name}`] = (sums[`c#${name}`] ?? 0) + n;
        expected.set(key, sums);
      }
    }
    const actual = new Map<string, Record<string, number>>();
    for (const item of items.filter((i) => String(i.pk).startsWith('AGG#')))
      actual.set(
        `${item.pk}|${item.sk}`,
        Object.fromEntries(Object.entries(item).filter(([k]) => k.startsWith('c#cm:'))) as Record<
          string,
          number
        >,
      );
    expect(expected.size).toBe(4);
    expect(actual).toEqual(expected);
  });
});
