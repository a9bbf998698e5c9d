/**
 * Every word Pulso shows or sends to people, in English: the survey page and its other pages, the customer's
 * emails and SMS, and the emails to the people who act. This is the reference catalogue: its shape is the type
 * every other locale must fill (see catalogue.ts), so a string missing in es.ts or pt.ts fails the build.
 * `{name}` placeholders are filled by fill() (text.ts) and must be the same in every locale.
 */
export const en = {
  /** The language's own name, in the survey page's language switcher. */
  languageName: 'English',
  /** The survey page, and the pages around it (thank you, already answered, errors). */
  submit: 'Send',
  requiredMark: '(required)',
  errorSummary: 'Please check your answers',
  /** Prefixes the page title after a failed post, so screen readers hear it first. */
  errorPrefix: 'Error',
  language: 'Language',
  npsLow: 'Not at all likely',
  npsHigh: 'Extremely likely',
  csat: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
  /** CES, high is easy ("The company made it easy for me"): agreement. */
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
  /** CES, high is hard: effort. */
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
  /** Field errors by the domain's error code (see validateAnswers and fieldErrorMessage). */
  errors: {
    required: 'Please choose an answer.',
    required_text: 'Please write an answer.',
    out_of_range: 'Please choose one of the options.',
    invalid_type: 'Please choose one of the options.',
    too_long: 'This text is too long.',
    default: 'Please check this answer.',
  },
  /** Error pages by HTTP status. */
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
  /** The owner's email for a new case, and the line that opens an escalation ({role}, {hours}). */
  alert: {
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
    escalatedUnacknowledged: 'Escalated to you ({role}): not acknowledged within {hours} h.',
    escalatedUnresolved: 'Escalated to you ({role}): not resolved within {hours} h.',
  },
  /** Survey invitations by email and SMS. `{survey}`, `{sender}` and `{url}` are filled in. */
  invitation: {
    subject: 'Your opinion matters: {survey}',
    reminderSubject: 'Reminder: {survey}',
    /** The inbox preview line (hidden in the body). */
    preheader: 'A few quick questions. Your answers help us improve.',
    reminderPreheader: 'There is still time to tell us about your experience.',
    intro: 'Thank you for choosing us. Would you take a moment to tell us about your experience?',
    introNamed: 'Thank you for choosing {sender}. Would you take a moment to tell us about your experience?',
    reminderIntro:
      'A few days ago we asked about your experience. If you have a moment, we would still love to hear from you.',
    /** Above the 0-10 links when the first question is NPS. */
    scoreHint: 'Choose a score to start:',
    action: 'Start the survey',
    linkHint: 'Or copy this link into your browser:',
    personal: 'This link is just for you, so please do not forward this email.',
    /** Why the customer gets this email. */
    why: 'You received this email because you were recently in contact with us.',
    whyNamed: 'You received this email because you were recently in contact with {sender}.',
    unsubscribeLead: 'Prefer not to receive survey invitations?',
    unsubscribe: 'Unsubscribe',
    /** SMS; accents that GSM-7 lacks are taken off when sent (see toGsm7), so a segment holds 160 characters. */
    sms: '{survey}\nPlease tell us about your experience in our short survey: {url}',
    smsReminder: 'Reminder: {survey}\nThere is still time to answer our short survey: {url}',
  },
  /** The unsubscribe page behind the invitation's link, and its confirmation. */
  unsubscribe: {
    title: 'Unsubscribe from survey invitations',
    body: 'Press the button to stop receiving survey invitations from us.',
    button: 'Unsubscribe',
    doneTitle: 'You are unsubscribed',
    doneBody: 'We will not send you survey invitations any more. Thank you for your time.',
  },
  /** The one-click acknowledge link of an alert email, and its pages. */
  acknowledge: {
    button: 'Acknowledge: I am on it',
    title: 'Acknowledge this case?',
    body: 'Acknowledging tells the team you are on it, and stops the escalation to the next person.',
    confirm: 'Acknowledge',
    doneTitle: 'Acknowledged',
    doneBody: 'Thank you. The case is yours; resolve it with a note once the customer has been looked after.',
    already: 'This case was already acknowledged or resolved; nothing changed.',
  },
  /** The customer's follow-up after their case was resolved: email, SMS and its page. */
  followUp: {
    subject: 'Did we put it right?',
    preheader: 'One question about how we handled your feedback.',
    intro: 'You told us about a problem, and we have worked on it. Did we put it right?',
    introNamed: 'You told {sender} about a problem, and we have worked on it. Did we put it right?',
    question: 'How satisfied are you with how we handled your feedback?',
    action: 'Answer one question',
    why: 'You received this email because you told us about a problem and we followed it up.',
    whyNamed: 'You received this email because you told {sender} about a problem and we followed it up.',
    sms: 'You told us about a problem and we worked on it. Did we put it right? One question: {url}',
    smsNamed: '{sender}: you told us about a problem and we worked on it. Did we put it right? {url}',
    thanksRecovered: 'Thank you. We are glad it was put right.',
    thanksNotRecovered: 'Thank you for telling us. Your answer goes to the team that handled your case.',
  },
  /** Threshold alert emails (a rolling figure below target, a drop, a recovery). */
  threshold: {
    figures: { nps: 'NPS', csat: 'CSAT %', ces: 'CES' },
    below: '{figure} below target: {where}',
    drop: '{figure} dropped: {where}',
    recovered: '{figure} recovered: {where}',
    introBelow:
      'The rolling figure is below its target, and the answers are enough to be sure it is not noise.',
    introDrop:
      'The rolling figure fell clearly against the window before, and the answers are enough to be sure it is not noise.',
    introRecovered: 'The figure that raised an alert is back where it should be.',
    figure: 'Figure',
    answers: 'Answers',
    target: 'Target',
    before: 'The window before',
    window: 'Window',
    days: 'last {n} days',
    survey: 'Survey',
    rule: 'Rule',
    all: 'all responses',
    ci: '95% interval {low} to {high}',
    footer: 'You get one alert per condition, and one more when it recovers.',
  },
  /** The owner's hourly digest of the cases past their hour's email budget. */
  digest: {
    subject: '{count} more cases for you in the hour from {hour} UTC',
    intro: 'More bad experiences reached you in the hour from {hour} UTC than one email each would serve.',
    note: 'Here they are in one list; each case escalates on its own SLA as usual.',
    /** Past the first cases listed, the digest counts the others (rules/digests.ts, DIGEST_LISTED). */
    more: 'And {more} more cases, not listed here.',
    allCases: 'See every open case',
  },
  /** The email that tells a case's owner their customer is not recovered. */
  notRecovered: {
    subject: 'Not recovered: {survey}, case {caseId}',
    intro:
      'The customer answered the follow-up of a resolved case: they are not satisfied with how it was handled.',
    score: 'Their answer',
    note: 'The resolution',
    action: 'Open the case (reopen it if the customer needs more)',
    caseId: 'Case',
  },
  /** The sign-in page of the people who act (the local OpenID provider's; on AWS, Cognito's own). */
  signIn: {
    title: 'Sign in to Pulso',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    wrong: 'That username and password do not match. Try again.',
  },
  /** The CX team's web app. */
  app: {
    name: 'Pulso',
    signingIn: 'Signing you in…',
    signOut: 'Sign out',
    signedInAs: 'Signed in as {name}',
    overview: 'Overview',
    survey: 'Survey',
    period: 'Period',
    periods: ['Last 7 days', 'Last 30 days', 'Last 90 days'],
    nps: 'Net Promoter Score',
    csat: 'Customer satisfaction',
    ces: 'Customer effort',
    answers: '{n} answers',
    interval: '95% interval: {low} to {high}',
    noAnswers: 'No answers in this period yet.',
    lowEffort: '{pct}% found it easy',
    mix: 'Promoters, passives and detractors',
    promoters: 'Promoters',
    passives: 'Passives',
    detractors: 'Detractors',
    loadFailed: 'The figures could not be loaded: {reason}',
    noSurveys: 'There are no surveys yet.',
  },
} as const;
