import type { Locale } from '#kernel/survey.ts';

type Five = readonly [string, string, string, string, string];
type Seven = readonly [string, string, string, string, string, string, string];

export interface Messages {
  readonly submit: string;
  readonly requiredMark: string;
  readonly errorSummary: string;
  /** Prefixes the page title after a failed post, so screen readers hear it first. */
  readonly errorPrefix: string;
  readonly language: string;
  readonly npsLow: string;
  readonly npsHigh: string;
  readonly csat: Five;
  /** CES, high is easy ("The company made it easy for me"): agreement. */
  readonly agree7: Seven;
  readonly agree5: Five;
  /** CES, high is hard: effort. */
  readonly effort7: Seven;
  readonly effort5: Five;
  readonly commentPromoter: string;
  readonly commentPassive: string;
  readonly commentDetractor: string;
  readonly thanksTitle: string;
  readonly thanksBody: string;
  readonly thanksClose: string;
  readonly alreadyTitle: string;
  readonly alreadyBody: string;
  /** Field errors by the domain's error code (see validateAnswers). */
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
    readonly caseId: string;
    readonly action: string;
    readonly footer: string;
    readonly severities: Readonly<Record<'low' | 'medium' | 'high', string>>;
  };
  /** Survey invitations by email and SMS. `{survey}`, `{sender}` and `{url}` are filled in. */
  readonly invitation: {
    readonly subject: string;
    readonly reminderSubject: string;
    /** The inbox preview line (hidden in the body). */
    readonly preheader: string;
    readonly reminderPreheader: string;
    readonly intro: string;
    readonly introNamed: string;
    readonly reminderIntro: string;
    /** Above the 0-10 links when the first question is NPS. */
    readonly scoreHint: string;
    readonly action: string;
    readonly linkHint: string;
    readonly personal: string;
    /** Why the customer gets this email. */
    readonly why: string;
    readonly whyNamed: string;
    readonly unsubscribeLead: string;
    readonly unsubscribe: string;
    /** SMS; accents that GSM-7 lacks are taken off when sent (see toGsm7), so a segment holds 160 characters. */
    readonly sms: string;
    readonly smsReminder: string;
  };
  /** The unsubscribe page behind the invitation's link, and its confirmation. */
  readonly unsubscribe: {
    readonly title: string;
    readonly body: string;
    readonly button: string;
    readonly doneTitle: string;
    readonly doneBody: string;
  };
}

const en: Messages = {
  submit: 'Send',
  requiredMark: '(required)',
  errorSummary: 'Please check your answers',
  errorPrefix: 'Error',
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
    'Neither low nor high effort',
    'Somewhat high effort',
    'High effort',
    'Very high effort',
  ],
  effort5: [
    'Very low effort',
    'Low effort',
    'Neither low nor high effort',
    'High effort',
    'Very high effort',
  ],
  commentPromoter: 'Great to hear! What did you like most?',
  commentPassive: 'What could we do better?',
  commentDetractor: 'We are sorry. What went wrong?',
  thanksTitle: 'Thank you!',
  thanksBody: 'Your answers have been received. They help us improve.',
  thanksClose: 'You can close this page now.',
  alreadyTitle: 'Already answered',
  alreadyBody: 'This survey link has already been used. Thank you for your time.',
  errors: {
    required: 'Please choose an answer.',
    required_text: 'Please write an answer.',
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
    403: {
      title: 'This link was changed or is damaged',
      detail: 'Please scan the QR code again, or open the link exactly as you received it.',
    },
    404: { title: 'Survey not found', detail: 'This survey does not exist or is no longer open.' },
    409: { title: 'Already answered', detail: 'This form was already sent with different answers.' },
    410: { title: 'Link expired', detail: 'This survey link has expired.' },
    413: { title: 'Too long', detail: 'Your answers are too long to send. Please shorten your comment.' },
    415: { title: 'Something is not right', detail: 'Please send the survey form from its page.' },
    429: {
      title: 'Too many answers',
      detail:
        'We have received several answers from this device or network in a short time. Please try again later.',
    },
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
    caseId: 'Case',
    action: 'Acknowledge the case',
    footer:
      'If nobody acknowledges the case in time, it escalates. Not the right person? Forward this email to whoever can help.',
    severities: { low: 'low', medium: 'medium', high: 'high' },
  },
  invitation: {
    subject: 'Your opinion matters: {survey}',
    reminderSubject: 'Reminder: {survey}',
    preheader: 'A few quick questions. Your answers help us improve.',
    reminderPreheader: 'There is still time to tell us about your experience.',
    intro: 'Thank you for choosing us. Would you take a moment to tell us about your experience?',
    introNamed: 'Thank you for choosing {sender}. Would you take a moment to tell us about your experience?',
    reminderIntro:
      'A few days ago we asked about your experience. If you have a moment, we would still love to hear from you.',
    scoreHint: 'Choose a score to start:',
    action: 'Start the survey',
    linkHint: 'Or copy this link into your browser:',
    personal: 'This link is just for you, so please do not forward this email.',
    why: 'You received this email because you were recently in contact with us.',
    whyNamed: 'You received this email because you were recently in contact with {sender}.',
    unsubscribeLead: 'Prefer not to receive survey invitations?',
    unsubscribe: 'Unsubscribe',
    sms: '{survey}\nPlease tell us about your experience in our short survey: {url}',
    smsReminder: 'Reminder: {survey}\nThere is still time to answer our short survey: {url}',
  },
  unsubscribe: {
    title: 'Unsubscribe from survey invitations',
    body: 'Press the button to stop receiving survey invitations from us.',
    button: 'Unsubscribe',
    doneTitle: 'You are unsubscribed',
    doneBody: 'We will not send you survey invitations any more. Thank you for your time.',
  },
};

const es: Messages = {
  submit: 'Enviar',
  requiredMark: '(obligatoria)',
  errorSummary: 'Revise sus respuestas',
  errorPrefix: 'Error',
  language: 'Idioma',
  npsLow: 'Nada probable',
  npsHigh: 'Extremadamente probable',
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
    'Esfuerzo ni bajo ni alto',
    'Esfuerzo algo alto',
    'Esfuerzo alto',
    'Esfuerzo muy alto',
  ],
  effort5: [
    'Esfuerzo muy bajo',
    'Esfuerzo bajo',
    'Esfuerzo ni bajo ni alto',
    'Esfuerzo alto',
    'Esfuerzo muy alto',
  ],
  commentPromoter: '¡Qué bueno! ¿Qué fue lo que más le gustó?',
  commentPassive: '¿Qué podríamos hacer mejor?',
  commentDetractor: 'Lo sentimos. ¿Qué salió mal?',
  thanksTitle: '¡Gracias!',
  thanksBody: 'Recibimos sus respuestas. Nos ayudan a mejorar.',
  thanksClose: 'Ya puede cerrar esta página.',
  alreadyTitle: 'Encuesta ya respondida',
  alreadyBody: 'Este enlace de encuesta ya se utilizó. Gracias por su tiempo.',
  errors: {
    required: 'Elija una respuesta.',
    required_text: 'Escriba una respuesta.',
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
    403: {
      title: 'Este enlace fue modificado o está dañado',
      detail: 'Escanee de nuevo el código QR o abra el enlace tal como lo recibió.',
    },
    404: { title: 'Encuesta no encontrada', detail: 'Esta encuesta no existe o ya no está abierta.' },
    409: { title: 'Ya respondida', detail: 'Este formulario ya se envió con otras respuestas.' },
    410: { title: 'Enlace vencido', detail: 'Este enlace de encuesta ya venció.' },
    413: { title: 'Demasiado largo', detail: 'Sus respuestas son demasiado largas. Acorte su comentario.' },
    415: { title: 'Algo no está bien', detail: 'Envíe el formulario desde la página de la encuesta.' },
    429: {
      title: 'Demasiadas respuestas',
      detail: 'Recibimos varias respuestas desde este dispositivo o red en poco tiempo. Inténtelo más tarde.',
    },
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
    caseId: 'Caso',
    action: 'Confirmar recepción del caso',
    footer:
      'Si nadie confirma la recepción del caso a tiempo, se escala. ¿No es usted la persona indicada? Reenvíe este correo a quien pueda ayudar.',
    severities: { low: 'baja', medium: 'media', high: 'alta' },
  },
  invitation: {
    subject: 'Su opinión nos importa: {survey}',
    reminderSubject: 'Recordatorio: {survey}',
    preheader: 'Unas preguntas rápidas. Sus respuestas nos ayudan a mejorar.',
    reminderPreheader: 'Todavía puede contarnos cómo fue su experiencia.',
    intro: 'Gracias por elegirnos. ¿Nos dedica un momento para contarnos cómo fue su experiencia?',
    introNamed: 'Gracias por elegir {sender}. ¿Nos dedica un momento para contarnos cómo fue su experiencia?',
    reminderIntro:
      'Hace unos días le preguntamos por su experiencia. Si tiene un momento, todavía nos encantaría conocer su opinión.',
    scoreHint: 'Elija una puntuación para comenzar:',
    action: 'Responder la encuesta',
    linkHint: 'O copie este enlace en su navegador:',
    personal: 'Este enlace es solo para usted: no reenvíe este correo.',
    why: 'Recibe este correo porque estuvo en contacto con nosotros recientemente.',
    whyNamed: 'Recibe este correo porque estuvo en contacto con {sender} recientemente.',
    unsubscribeLead: '¿Prefiere no recibir invitaciones a encuestas?',
    unsubscribe: 'Cancelar la suscripción',
    sms: '{survey}\nCuéntenos su experiencia en esta breve encuesta: {url}',
    smsReminder: 'Recordatorio: {survey}\nTodavía puede responder esta breve encuesta: {url}',
  },
  unsubscribe: {
    title: 'Cancelar la suscripción a las invitaciones a encuestas',
    body: 'Pulse el botón para dejar de recibir nuestras invitaciones a encuestas.',
    button: 'Cancelar la suscripción',
    doneTitle: 'Suscripción cancelada',
    doneBody: 'No le enviaremos más invitaciones a encuestas. Gracias por su tiempo.',
  },
};

const pt: Messages = {
  submit: 'Enviar',
  requiredMark: '(obrigatória)',
  errorSummary: 'Confira suas respostas',
  errorPrefix: 'Erro',
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
    'Esforço nem baixo nem alto',
    'Esforço um pouco alto',
    'Esforço alto',
    'Esforço muito alto',
  ],
  effort5: [
    'Esforço muito baixo',
    'Esforço baixo',
    'Esforço nem baixo nem alto',
    'Esforço alto',
    'Esforço muito alto',
  ],
  commentPromoter: 'Que bom! Do que você mais gostou?',
  commentPassive: 'O que poderíamos fazer melhor?',
  commentDetractor: 'Sentimos muito. O que deu errado?',
  thanksTitle: 'Obrigado!',
  thanksBody: 'Recebemos suas respostas. Elas nos ajudam a melhorar.',
  thanksClose: 'Você já pode fechar esta página.',
  alreadyTitle: 'Pesquisa já respondida',
  alreadyBody: 'Este link de pesquisa já foi usado. Obrigado pelo seu tempo.',
  errors: {
    required: 'Escolha uma resposta.',
    required_text: 'Escreva uma resposta.',
    out_of_range: 'Escolha uma das opções.',
    invalid_type: 'Escolha uma das opções.',
    too_long: 'Este texto está longo demais.',
    default: 'Confira esta resposta.',
  },
  problems: {
    400: {
      title: 'Algo não está certo',
      detail: 'Não conseguimos processar esta solicitação. Abra o link da pesquisa novamente.',
    },
    403: {
      title: 'Este link foi alterado ou está danificado',
      detail: 'Escaneie o QR code novamente ou abra o link exatamente como você o recebeu.',
    },
    404: { title: 'Pesquisa não encontrada', detail: 'Esta pesquisa não existe ou não está mais aberta.' },
    409: { title: 'Já respondida', detail: 'Este formulário já foi enviado com outras respostas.' },
    410: { title: 'Link expirado', detail: 'Este link de pesquisa expirou.' },
    413: { title: 'Longo demais', detail: 'Suas respostas são longas demais. Encurte seu comentário.' },
    415: { title: 'Algo não está certo', detail: 'Envie o formulário pela página da pesquisa.' },
    429: {
      title: 'Respostas demais',
      detail:
        'Recebemos várias respostas deste dispositivo ou rede em pouco tempo. Tente novamente mais tarde.',
    },
    500: { title: 'Desculpe, algo deu errado', detail: 'Tente novamente em instantes.' },
  },
  email: {
    subject: 'Novo caso: {survey} ({severity})',
    intro: 'Um cliente teve uma experiência ruim e está aguardando uma ação.',
    rules: 'O que aconteceu',
    severity: 'Gravidade',
    segment: 'Onde',
    comment: 'O que o cliente disse',
    opened: 'Aberto em',
    caseId: 'Caso',
    action: 'Confirmar recebimento do caso',
    footer:
      'Se ninguém confirmar o recebimento do caso a tempo, ele será escalado. Não é você a pessoa certa? Encaminhe este e-mail para quem possa ajudar.',
    severities: { low: 'baixa', medium: 'média', high: 'alta' },
  },
  invitation: {
    subject: 'Sua opinião é importante: {survey}',
    reminderSubject: 'Lembrete: {survey}',
    preheader: 'Algumas perguntas rápidas. Suas respostas nos ajudam a melhorar.',
    reminderPreheader: 'Ainda dá tempo de nos contar como foi sua experiência.',
    intro: 'Obrigado por nos escolher. Você pode tirar um momento para nos contar como foi sua experiência?',
    introNamed:
      'Obrigado por escolher {sender}. Você pode tirar um momento para nos contar como foi sua experiência?',
    reminderIntro:
      'Há alguns dias perguntamos sobre sua experiência. Se você tiver um momento, ainda gostaríamos muito de ouvir sua opinião.',
    scoreHint: 'Escolha uma nota para começar:',
    action: 'Responder à pesquisa',
    linkHint: 'Ou copie este link no seu navegador:',
    personal: 'Este link é só seu: por favor, não encaminhe este e-mail.',
    why: 'Você recebeu este e-mail porque esteve em contato conosco recentemente.',
    whyNamed: 'Você recebeu este e-mail porque esteve em contato com {sender} recentemente.',
    unsubscribeLead: 'Prefere não receber convites para pesquisas?',
    unsubscribe: 'Cancelar inscrição',
    sms: '{survey}\nResponda a nossa breve pesquisa sobre sua experiência: {url}',
    smsReminder: 'Lembrete: {survey}\nAinda dá tempo de responder a nossa breve pesquisa: {url}',
  },
  unsubscribe: {
    title: 'Cancelar o recebimento de convites para pesquisas',
    body: 'Pressione o botão para deixar de receber nossos convites para pesquisas.',
    button: 'Cancelar inscrição',
    doneTitle: 'Inscrição cancelada',
    doneBody: 'Não enviaremos mais convites para pesquisas. Obrigado pelo seu tempo.',
  },
};

const MESSAGES: Record<Locale, Messages> = { en, es, pt };
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español', pt: 'Português' };

export function messages(locale: Locale): Messages {
  return MESSAGES[locale];
}

/**
 * A field error in the customer's language, from the domain's error code. With the question type, a missing
 * comment asks to write rather than to choose.
 */
export function fieldErrorMessage(locale: Locale, code: string, questionType?: string): string {
  const errors = MESSAGES[locale].errors;
  const key = code === 'required' && questionType === 'text' ? 'required_text' : code;
  return errors[key] ?? errors.default ?? '';
}

/** At most this many Accept-Language entries are read: the header is client input. */
const MAX_LANGUAGE_RANGES = 20;

/**
 * `lang` wins when supported; then Accept-Language by q-value, ties in header order (pt-BR -> pt,
 * es-419 -> es, `*` -> the fallback); then the fallback.
 */
export function negotiateLocale(
  lang: string | undefined,
  acceptLanguage: string | undefined,
  supported: readonly Locale[],
  fallback: Locale,
): Locale {
  const safeFallback = supported.includes(fallback) ? fallback : (supported[0] ?? fallback);
  const pick = (tag: string | undefined): Locale | undefined => {
    const trimmed = tag?.trim().toLowerCase();
    if (trimmed === '*') return safeFallback;
    const base = trimmed?.split(/[-_]/)[0];
    return supported.find((l) => l === base);
  };
  const fromParam = pick(lang === '*' ? undefined : lang);
  if (fromParam) return fromParam;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .slice(0, MAX_LANGUAGE_RANGES)
    .map((part, i) => {
      const [tag, ...params] = part.split(';');
      const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { tag, q: Number.isFinite(q) && q <= 1 ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const found = pick(tag);
    if (found) return found;
  }
  return safeFallback;
}
