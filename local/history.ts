import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoAggregateStore } from '#adapters/dynamodb/aggregates.ts';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { ALL } from '#aggregation/rules/aggregation.ts';
import type { ResponseRecord } from '#capture/rules/response.ts';
import { DAY_MS, dayOf } from '#kernel/days.ts';
import type { Locale } from '#kernel/survey.ts';

/**
 * A believable history for `npm start`: answers to the `demo` survey over the last `days` days, across three
 * regions, five cities and six stores that do better and worse (one getting better, one getting worse), through
 * three channels, a third of them with a comment in Spanish, Portuguese or English. Written as capture writes
 * responses, so the stream folds them into the figures; the last days' bad answers open cases (older ones are
 * past the survey's `alertWithinHours`). The same day and number always make the same answer, so a second run
 * adds nothing that is there.
 */
export interface HistoryOptions {
  readonly dynamodbEndpoint: string;
  readonly tableName: string;
  readonly region: string;
  readonly now?: Date;
  /** @default 90 */
  readonly days?: number;
  /** Answers on an ordinary weekday, about. @default 24 */
  readonly perDay?: number;
  readonly surveyId?: string;
}

interface Store {
  readonly region: string;
  readonly city: string;
  readonly store: string;
  /** Share of the answers it gets. */
  readonly weight: number;
  /** Chance of a promoter and of a detractor at the start and at the end of the history. */
  readonly from: { readonly promoter: number; readonly detractor: number };
  readonly to: { readonly promoter: number; readonly detractor: number };
}

const STORES: readonly Store[] = [
  {
    region: 'north',
    city: 'lima',
    store: 's-001',
    weight: 3,
    from: { promoter: 0.62, detractor: 0.1 },
    to: { promoter: 0.64, detractor: 0.09 },
  },
  {
    region: 'north',
    city: 'lima',
    store: 's-002',
    weight: 2,
    from: { promoter: 0.48, detractor: 0.2 },
    to: { promoter: 0.5, detractor: 0.18 },
  },
  {
    region: 'north',
    city: 'trujillo',
    store: 's-003',
    weight: 1.5,
    from: { promoter: 0.3, detractor: 0.38 },
    to: { promoter: 0.55, detractor: 0.15 },
  },
  {
    region: 'south',
    city: 'arequipa',
    store: 's-004',
    weight: 2,
    from: { promoter: 0.58, detractor: 0.12 },
    to: { promoter: 0.6, detractor: 0.12 },
  },
  {
    region: 'south',
    city: 'cusco',
    store: 's-005',
    weight: 1.5,
    from: { promoter: 0.5, detractor: 0.16 },
    to: { promoter: 0.32, detractor: 0.36 },
  },
  {
    region: 'center',
    city: 'huancayo',
    store: 's-006',
    weight: 1,
    from: { promoter: 0.45, detractor: 0.2 },
    to: { promoter: 0.47, detractor: 0.2 },
  },
];

const CHANNELS = [
  { channel: 'qr', weight: 5 },
  { channel: 'email', weight: 3 },
  { channel: 'kiosk', weight: 2 },
] as const;

const LOCALES: readonly { locale: Locale; weight: number }[] = [
  { locale: 'es', weight: 5 },
  { locale: 'pt', weight: 3 },
  { locale: 'en', weight: 2 },
];

type Band = 'promoter' | 'passive' | 'detractor';

/** What customers say, by language and band: written for this demo, not taken from any dataset. */
const COMMENTS: Record<Locale, Record<Band, readonly string[]>> = {
  es: {
    promoter: [
      'Excelente atención, muy amables en caja',
      'Todo rápido y limpio, volveré',
      'El personal me ayudó a encontrar todo',
      'Muy buena variedad y buenos precios',
      'La app para pagar funcionó perfecto',
    ],
    passive: [
      'Bien en general, pero había mucha cola',
      'Correcto, aunque faltaban algunos productos',
      'El local está bien, el estacionamiento no tanto',
      'Buena atención, precios algo altos',
    ],
    detractor: [
      'Esperé veinte minutos en caja con una sola abierta',
      'El producto estaba vencido y nadie me dio solución',
      'Muy mala atención, el cajero fue grosero',
      'No había nadie para ayudar en la tienda',
      'Me cobraron dos veces y tardaron en devolverme',
    ],
  },
  pt: {
    promoter: [
      'Atendimento excelente, equipe muito simpática',
      'Loja limpa e organizada, adorei',
      'Encontrei tudo rápido, parabéns',
      'Ótimos preços e caixa rápido',
    ],
    passive: [
      'Bom, mas a fila estava grande',
      'Ok, faltaram alguns produtos na prateleira',
      'Atendimento razoável, poderia ser mais rápido',
    ],
    detractor: [
      'Fiquei muito tempo na fila do caixa',
      'Produto com defeito e ninguém resolveu',
      'Atendente mal-educado comigo',
      'Cobraram errado e demoraram para corrigir',
    ],
  },
  en: {
    promoter: [
      'Great service, the staff were lovely',
      'Quick checkout and a clean store',
      'Found everything I needed, thank you',
      'Friendly team and good prices',
    ],
    passive: [
      'Fine overall, the queue was long',
      'Okay, a few items were out of stock',
      'Decent, but parking was a pain',
    ],
    detractor: [
      'Waited twenty minutes with one till open',
      'The product was past its date and nobody helped',
      'Rude staff at the checkout',
      'Charged twice and it took ages to fix',
    ],
  },
};

/** A small seeded generator (mulberry32): the same history for the same day. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const seedOf = (text: string) =>
  [...text].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16_777_619) >>> 0, 2_166_136_261);

function pick<T extends { weight: number }>(items: readonly T[], r: number): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let left = r * total;
  for (const item of items) {
    left -= item.weight;
    if (left < 0) return item;
  }
  return items[items.length - 1] as T;
}

const between = (r: number, low: number, high: number) => low + Math.floor(r * (high - low + 1));

/** The answers of one day, made the same way every time; `progress` (0 to 1) moves each store from `from` to `to`. */
export function historyDay(
  surveyId: string,
  day: string,
  progress: number,
  perDay: number,
): ResponseRecord[] {
  const r = random(seedOf(`${surveyId}#${day}`));
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  const busy = weekday === 0 || weekday === 6 ? 1.35 : 1;
  const count = Math.max(1, Math.round(perDay * busy * (0.75 + 0.5 * r())));
  return Array.from({ length: count }, (_, i) => {
    const place = pick(STORES, r());
    const p = place.from.promoter + (place.to.promoter - place.from.promoter) * progress;
    const d = place.from.detractor + (place.to.detractor - place.from.detractor) * progress;
    const x = r();
    const band: Band = x < d ? 'detractor' : x < d + (1 - p - d) ? 'passive' : 'promoter';
    // Most detractors give 4 to 6; fewer go down to 0.
    const nps =
      band === 'promoter'
        ? between(r(), 9, 10)
        : band === 'passive'
          ? between(r(), 7, 8)
          : r() < 0.6
            ? between(r(), 4, 6)
            : between(r(), 0, 3);
    const csat =
      band === 'promoter' ? between(r(), 4, 5) : band === 'passive' ? between(r(), 3, 5) : between(r(), 1, 3);
    const ces =
      band === 'promoter' ? between(r(), 5, 7) : band === 'passive' ? between(r(), 4, 6) : between(r(), 1, 4);
    const { locale } = pick(LOCALES, r());
    const { channel } = pick(CHANNELS, r());
    const pool = COMMENTS[locale][band];
    // Unhappy customers say why more often.
    const comment =
      r() < (band === 'detractor' ? 0.6 : 0.25) ? pool[Math.floor(r() * pool.length)] : undefined;
    const at =
      Date.parse(`${day}T00:00:00Z`) + between(r(), 13, 25) * 3_600_000 + between(r(), 0, 3599) * 1000;
    return {
      surveyId,
      submissionId: `hist-${day}-${String(i).padStart(3, '0')}`,
      answers: { nps, csat, ces, ...(comment ? { comment } : {}) },
      attributes: { region: place.region, city: place.city, store: place.store, channel },
      locale,
      capturedVia: 'web',
      receivedAt: new Date(at).toISOString(),
      contentHash: `hist-${day}-${i}`,
    };
  });
}

/**
 * Writes the history unless the survey has figures already (a kept table, or a second start), and answers with
 * how many answers it wrote.
 */
export async function seedHistory(opts: HistoryOptions): Promise<number> {
  const surveyId = opts.surveyId ?? 'demo';
  const days = opts.days ?? 90;
  const now = opts.now ?? new Date();
  const client = new DynamoDBClient({
    endpoint: opts.dynamodbEndpoint,
    region: opts.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const first = dayOf(new Date(now.getTime() - days * DAY_MS));
    const counted = await new DynamoAggregateStore(client, opts.tableName).readDays(
      surveyId,
      ALL,
      first,
      dayOf(now),
    );
    if (counted.length > 0) return 0;
    const store = new DynamoResponseStore(client, opts.tableName);
    const answers = Array.from({ length: days }, (_, k) => {
      const ago = days - k;
      return historyDay(
        surveyId,
        dayOf(new Date(now.getTime() - ago * DAY_MS)),
        k / Math.max(1, days - 1),
        opts.perDay ?? 24,
      );
    })
      .flat()
      // Nothing from the future: the last day is yesterday.
      .filter((r) => Date.parse(r.receivedAt) < now.getTime());
    let next = 0;
    const worker = async () => {
      while (next < answers.length) {
        const answer = answers[next++] as ResponseRecord;
        await store.putIfAbsent(answer, 400);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    return answers.length;
  } finally {
    client.destroy();
  }
}
