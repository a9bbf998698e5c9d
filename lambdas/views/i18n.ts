import type { Locale } from '#domain/survey.ts';

export interface Messages {
  readonly submit: string;
  readonly required: string;
  readonly requiredMark: string;
  readonly errorSummary: string;
  readonly language: string;
  readonly npsLow: string;
  readonly npsHigh: string;
  readonly csat: readonly [string, string, string, string, string];
  readonly agree7: readonly [string, string, string, string, string, string, string];
  readonly agree5: readonly [string, string, string, string, string];
  readonly effort7: readonly [string, string, string, string, string, string, string];
  readonly effort5: readonly [string, string, string, string, string];
  readonly commentPromoter: string;
  readonly commentPassive: string;
  readonly commentDetractor: string;
  readonly thanksTitle: string;
  readonly thanksBody: string;
  readonly alreadyTitle: string;
  readonly alreadyBody: string;
  readonly errors: Readonly<Record<string, string>>;
  readonly problems: Readonly<Record<number, { title: string; detail: string }>>;
  readonly email: {
    readonly subject: string;
    readonly intro: string;
    readonly rules: string;
    readonly severity: string;
    readonly segment: string;
    readonly comment: string;
    readonly opened: string;
    readonly action: string;
    readonly severities: Readonly<Record<'low' | 'medium' | 'high', string>>;
  };
}

const en: Messages = {
  submit: 'Send',
  required: 'required',
  requiredMark: '(required)',
  errorSummary: 'Please check your answers',
  language: 'Language',
  npsLow: 'Not at all likely',
  npsHigh: 'Extremely likely',
  csat: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
  agree7: [
    'Strongly disagree',
    'Disagree',
    'Somewhat disagree',
    'Neither agree nor disagree',
    'Somewhat agree',
    'Agree',
    'Strongly agree',
  ],
  agree5: ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'],
  effort7: [
    'Very low effort',
    'Low effort',
    'Somewhat low effort',
    'Neither low nor high',
    'Somewhat high effort',
    'High effort',
    'Very high effort',
  ],
  effort5: ['Very low effort', 'Low effort', 'Neither low nor high', 'High effort', 'Very high effort'],
  commentPromoter: 'Great to hear! What did you like most?',
  commentPassive: 'What could we do better?',
  commentDetractor: 'We are sorry. What went wrong?',
  thanksTitle: 'Thank you!',
  thanksBody: 'Your answers have been received. They help us improve.',
  alreadyTitle: 'Already answered',
  alreadyBody: 'This survey link has already been used. Thank you for your time.',
  errors: {
    required: 'Please choose an answer.',
    out_of_range: 'Please choose one of the options.',
    invalid_type: 'Please choose one of the options.',
    too_long: 'This text is too long.',
    default: 'Please check this answer.',
  },
  problems: {
    400: {
      title: 'Something is not right',
      detail: 'We could not read this request. Please open the survey link again.',
    },
    404: { title: 'Survey not found', detail: 'This survey does not exist or is no longer open.' },
    409: { title: 'Already answered', detail: 'These answers were already sent with different content.' },
    410: { title: 'Link expired', detail: 'This survey link has expired.' },
    413: { title: 'Too long', detail: 'Your answers are too long to send. Please shorten your comment.' },
    415: { title: 'Something is not right', detail: 'Please send the survey form from its page.' },
    429: { title: 'Too many answers', detail: 'Please wait a moment and try again.' },
    500: { title: 'Sorry, something went wrong', detail: 'Please try again in a moment.' },
  },
  email: {
    subject: 'New case: {survey} ({severity})',
    intro: 'A customer had a bad experience and is waiting for someone to act.',
    rules: 'What happened',
    severity: 'Severity',
    segment: 'Where',
    comment: 'What the customer said',
    opened: 'Opened',
    action: 'Acknowledge the case',
    severities: { low: 'low', medium: 'medium', high: 'high' },
  },
};

const es: Messages = {
  submit: 'Enviar',
  required: 'obligatoria',
  requiredMark: '(obligatoria)',
  errorSummary: 'Revise sus respuestas',
  language: 'Idioma',
  npsLow: 'Nada probable',
  npsHigh: 'Muy probable',
  csat: ['Muy insatisfecho', 'Insatisfecho', 'Neutral', 'Satisfecho', 'Muy satisfecho'],
  agree7: [
    'Totalmente en desacuerdo',
    'En desacuerdo',
    'Algo en desacuerdo',
    'Ni de acuerdo ni en desacuerdo',
    'Algo de acuerdo',
    'De acuerdo',
    'Totalmente de acuerdo',
  ],
  agree5: [
    'Totalmente en desacuerdo',
    'En desacuerdo',
    'Ni de acuerdo ni en desacuerdo',
    'De acuerdo',
    'Totalmente de acuerdo',
  ],
  effort7: [
    'Esfuerzo muy bajo',
    'Esfuerzo bajo',
    'Esfuerzo algo bajo',
    'Ni bajo ni alto',
    'Esfuerzo algo alto',
    'Esfuerzo alto',
    'Esfuerzo muy alto',
  ],
  effort5: ['Esfuerzo muy bajo', 'Esfuerzo bajo', 'Ni bajo ni alto', 'Esfuerzo alto', 'Esfuerzo muy alto'],
  commentPromoter: '¡Qué bueno! ¿Qué fue lo que más le gustó?',
  commentPassive: '¿Qué podríamos hacer mejor?',
  commentDetractor: 'Lo sentimos. ¿Qué salió mal?',
  thanksTitle: '¡Gracias!',
  thanksBody: 'Recibimos sus respuestas. Nos ayudan a mejorar.',
  alreadyTitle: 'Ya respondida',
  alreadyBody: 'Este enlace de encuesta ya se utilizó. Gracias por su tiempo.',
  errors: {
    required: 'Elija una respuesta.',
    out_of_range: 'Elija una de las opciones.',
    invalid_type: 'Elija una de las opciones.',
    too_long: 'Este texto es demasiado largo.',
    default: 'Revise esta respuesta.',
  },
  problems: {
    400: {
      title: 'Algo no está bien',
      detail: 'No pudimos leer esta solicitud. Abra de nuevo el enlace de la encuesta.',
    },
    404: { title: 'Encuesta no encontrada', detail: 'Esta encuesta no existe o ya no está abierta.' },
    409: { title: 'Ya respondida', detail: 'Estas respuestas ya se enviaron con otro contenido.' },
    410: { title: 'Enlace vencido', detail: 'Este enlace de encuesta venció.' },
    413: { title: 'Demasiado largo', detail: 'Sus respuestas son demasiado largas. Acorte su comentario.' },
    415: { title: 'Algo no está bien', detail: 'Envíe el formulario desde la página de la encuesta.' },
    429: { title: 'Demasiadas respuestas', detail: 'Espere un momento e inténtelo de nuevo.' },
    500: { title: 'Lo sentimos, algo salió mal', detail: 'Inténtelo de nuevo en un momento.' },
  },
  email: {
    subject: 'Nuevo caso: {survey} ({severity})',
    intro: 'Un cliente tuvo una mala experiencia y espera que alguien actúe.',
    rules: 'Qué pasó',
    severity: 'Gravedad',
    segment: 'Dónde',
    comment: 'Lo que dijo el cliente',
    opened: 'Abierto',
    action: 'Confirmar el caso',
    severities: { low: 'baja', medium: 'media', high: 'alta' },
  },
};

const pt: Messages = {
  submit: 'Enviar',
  required: 'obrigatória',
  requiredMark: '(obrigatória)',
  errorSummary: 'Confira suas respostas',
  language: 'Idioma',
  npsLow: 'Nada provável',
  npsHigh: 'Extremamente provável',
  csat: ['Muito insatisfeito', 'Insatisfeito', 'Neutro', 'Satisfeito', 'Muito satisfeito'],
  agree7: [
    'Discordo totalmente',
    'Discordo',
    'Discordo em parte',
    'Não concordo nem discordo',
    'Concordo em parte',
    'Concordo',
    'Concordo totalmente',
  ],
  agree5: ['Discordo totalmente', 'Discordo', 'Não concordo nem discordo', 'Concordo', 'Concordo totalmente'],
  effort7: [
    'Esforço muito baixo',
    'Esforço baixo',
    'Esforço um pouco baixo',
    'Nem baixo nem alto',
    'Esforço um pouco alto',
    'Esforço alto',
    'Esforço muito alto',
  ],
  effort5: [
    'Esforço muito baixo',
    'Esforço baixo',
    'Nem baixo nem alto',
    'Esforço alto',
    'Esforço muito alto',
  ],
  commentPromoter: 'Que bom! Do que você mais gostou?',
  commentPassive: 'O que poderíamos fazer melhor?',
  commentDetractor: 'Sentimos muito. O que deu errado?',
  thanksTitle: 'Obrigado!',
  thanksBody: 'Recebemos suas respostas. Elas nos ajudam a melhorar.',
  alreadyTitle: 'Já respondida',
  alreadyBody: 'Este link de pesquisa já foi usado. Obrigado pelo seu tempo.',
  errors: {
    required: 'Escolha uma resposta.',
    out_of_range: 'Escolha uma das opções.',
    invalid_type: 'Escolha uma das opções.',
    too_long: 'Este texto está longo demais.',
    default: 'Confira esta resposta.',
  },
  problems: {
    400: {
      title: 'Algo não está certo',
      detail: 'Não conseguimos ler este pedido. Abra o link da pesquisa novamente.',
    },
    404: { title: 'Pesquisa não encontrada', detail: 'Esta pesquisa não existe ou não está mais aberta.' },
    409: { title: 'Já respondida', detail: 'Estas respostas já foram enviadas com outro conteúdo.' },
    410: { title: 'Link expirado', detail: 'Este link de pesquisa expirou.' },
    413: { title: 'Longo demais', detail: 'Suas respostas são longas demais. Encurte seu comentário.' },
    415: { title: 'Algo não está certo', detail: 'Envie o formulário pela página da pesquisa.' },
    429: { title: 'Respostas demais', detail: 'Aguarde um momento e tente novamente.' },
    500: { title: 'Desculpe, algo deu errado', detail: 'Tente novamente em instantes.' },
  },
  email: {
    subject: 'Novo caso: {survey} ({severity})',
    intro: 'Um cliente teve uma experiência ruim e está esperando que alguém aja.',
    rules: 'O que aconteceu',
    severity: 'Gravidade',
    segment: 'Onde',
    comment: 'O que o cliente disse',
    opened: 'Aberto',
    action: 'Confirmar o caso',
    severities: { low: 'baixa', medium: 'média', high: 'alta' },
  },
};

const MESSAGES: Record<Locale, Messages> = { en, es, pt };
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español', pt: 'Português' };

export function messages(locale: Locale): Messages {
  return MESSAGES[locale];
}

export function fieldErrorMessage(locale: Locale, code: string): string {
  const errors = MESSAGES[locale].errors;
  return errors[code] ?? errors.default ?? '';
}

/**
 * `lang` wins when supported; then Accept-Language by q-value (pt-BR -> pt, es-419 -> es); then the fallback.
 */
export function negotiateLocale(
  lang: string | undefined,
  acceptLanguage: string | undefined,
  supported: readonly Locale[],
  fallback: Locale,
): Locale {
  const pick = (tag: string | undefined) => {
    const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
    return supported.find((l) => l === base);
  };
  const fromParam = pick(lang);
  if (fromParam) return fromParam;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? '1',
      );
      return { tag, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const found = pick(tag);
    if (found) return found;
  }
  return supported.includes(fallback) ? fallback : (supported[0] ?? 'en');
}
