import { useEffect, useState } from 'preact/hooks';
import type { ConversationNumber } from '#capture/rules/webhook.ts';
import type { Campaign, Channel } from '#invitations/rules/campaigns.ts';
import { DEFAULT_QUIET_DAYS } from '#invitations/rules/fatigue.ts';
import type { CampaignReach } from '#invitations/rules/reach.ts';
import type { Survey } from '#kernel/survey.ts';
import type { Api } from './api.ts';
import { dateText, fill, type Locale, type Words } from './i18n.ts';
import { useLatest } from './latest.ts';
import { ReachFacts } from './overview.tsx';
import { useSurveys } from './surveys.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/** How often the reach of sending campaigns is read again while the screen is open. */
const LIVE_MS = 3000;

/**
 * Campaigns: create one (a survey, a channel, an audience by one contact attribute, quiet days, a reminder), start
 * it, and watch each sending campaign's reach as it grows: invited, delivered, answered and the response rate.
 */
export function Campaigns({ api, locale, words }: Props) {
  const [failure, setFailure] = useState<string | undefined>();
  const { surveys } = useSurveys(api, setFailure);
  const [items, setItems] = useState<readonly Campaign[] | undefined>();
  const [reach, setReach] = useState<Readonly<Record<string, CampaignReach>>>({});
  const [refused, setRefused] = useState<string | undefined>();
  const [numbers, setNumbers] = useState<readonly ConversationNumber[]>([]);

  const latest = useLatest();
  const reload = async () => {
    const current = latest.begin();
    try {
      const { items } = await api.campaigns();
      if (!current()) return;
      setItems(items);
      const sending = items.filter((c) => c.status === 'sending').slice(0, 10);
      const read = await Promise.all(
        sending.map(async (c) => [c.campaignId, await api.reach(c.campaignId)] as const),
      );
      setReach(Object.fromEntries(read));
    } catch (err) {
      setFailure((err as Error).message);
    }
  };
  useEffect(() => {
    void reload();
    // The numbers a conversation campaign can ask from; none offered when they cannot be read.
    api.numbers().then(
      ({ items }) => setNumbers(items),
      () => setNumbers([]),
    );
  }, [api]);
  const sending = items?.some((c) => c.status === 'sending') ?? false;
  useEffect(() => {
    if (!sending) return;
    const timer = setInterval(() => void reload(), LIVE_MS);
    return () => clearInterval(timer);
  }, [api, sending]);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  const start = async (campaignId: string) => {
    setRefused(undefined);
    try {
      await api.startCampaign(campaignId);
      await reload();
    } catch (err) {
      setRefused((err as Error).message);
    }
  };
  const titleOf = (surveyId: string) => {
    const s = surveys?.find((x) => x.id === surveyId);
    return s ? (s.title[locale] ?? s.title.en ?? s.id) : surveyId;
  };

  return (
    <section aria-labelledby="campaigns-title">
      <h1 id="campaigns-title">{words.campaigns}</h1>
      <p>{words.campaignsIntro}</p>
      {surveys && surveys.length > 0 && (
        <CampaignForm
          api={api}
          surveys={surveys}
          numbers={numbers}
          locale={locale}
          words={words}
          onMade={(c) => {
            setRefused(undefined);
            latest.changed();
            setItems((before) => [c, ...(before ?? [])]);
          }}
          onRefused={setRefused}
        />
      )}
      {refused && <p role="alert">{refused}</p>}
      {!items ? (
        <p aria-live="polite">…</p>
      ) : items.length === 0 ? (
        <p>{words.noCampaigns}</p>
      ) : (
        <ol class="records campaigns" aria-live="polite">
          {items.map((c) => {
            const audience = Object.entries(c.audience.attributes)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ');
            return (
              <li key={c.campaignId} data-campaign={c.campaignId} data-status={c.status}>
                <p class="what">
                  <strong>{c.name}</strong> ·{' '}
                  {c.status === 'sending' ? words.campaignSending : words.campaignDraft}
                </p>
                <p class="meta when">
                  {fill(words.campaignOf, {
                    survey: titleOf(c.surveyId),
                    channel: channelName(c, words),
                    audience: audience || words.everyContact,
                  })}{' '}
                  · {dateText(locale, new Date(c.startedAt ?? c.createdAt), 'moment')}
                </p>
                {c.status === 'draft' ? (
                  <button
                    type="button"
                    aria-label={fill(words.startOf, { name: c.name })}
                    onClick={() => void start(c.campaignId)}
                  >
                    {words.startCampaign}
                  </button>
                ) : (
                  <CampaignReachFacts reach={reach[c.campaignId]} locale={locale} words={words} />
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function CampaignReachFacts(props: { reach: CampaignReach | undefined; locale: Locale; words: Words }) {
  return props.reach ? (
    <ReachFacts counts={props.reach.total} locale={props.locale} words={props.words} />
  ) : null;
}

const channelName = (c: { channel: Channel; source?: string | undefined }, words: Words) =>
  c.channel === 'whatsapp'
    ? words.channelWhatsApp
    : c.channel === 'email'
      ? words.channelEmail
      : c.source
        ? words.channelSmsConversation
        : words.channelSms;

/**
 * A new campaign, a draft until started; validated by the API's own schema (its problems are shown). On SMS it
 * asks with a link, or as a conversation from a two-way number; on WhatsApp always as a conversation, from one of
 * the WhatsApp numbers (offered only when there is one).
 */
function CampaignForm(props: {
  api: Api;
  surveys: readonly Survey[];
  numbers: readonly ConversationNumber[];
  locale: Locale;
  words: Words;
  onMade: (c: Campaign) => void;
  onRefused: (reason: string) => void;
}) {
  const { api, surveys, words } = props;
  const [name, setName] = useState('');
  const [surveyId, setSurveyId] = useState(surveys[0]?.id ?? '');
  const [channel, setChannel] = useState<Channel>('email');
  /** The source whose number asks the survey as a conversation; '' asks with a link. */
  const [source, setSource] = useState('');
  const numbersOn = (c: Channel) => props.numbers.filter((n) => n.channel === c);
  const channels: readonly Channel[] =
    numbersOn('whatsapp').length > 0 ? ['email', 'sms', 'whatsapp'] : ['email', 'sms'];
  const choose = (c: Channel) => {
    setChannel(c);
    setSource(c === 'whatsapp' ? (numbersOn('whatsapp')[0]?.source ?? '') : '');
  };
  const conversational = source !== '';
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [quietDays, setQuietDays] = useState(String(DEFAULT_QUIET_DAYS));
  const [reminder, setReminder] = useState('');
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      props.onMade(
        await api.createCampaign({
          name: name.trim(),
          surveyId,
          channel,
          ...(conversational ? { source } : {}),
          audience: { attributes: key.trim() ? { [key.trim()]: value.trim() } : {} },
          quietDays: Number(quietDays),
          ...(reminder.trim() && !conversational ? { reminderAfterDays: Number(reminder) } : {}),
        }),
      );
      setName('');
    } catch (err) {
      props.onRefused((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="controls campaign-form" onSubmit={(e) => void onSubmit(e)}>
      <label>
        {words.campaignName}
        <input
          name="name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          required
          maxLength={200}
        />
      </label>
      <label>
        {words.survey}
        <select name="survey" value={surveyId} onChange={(e) => setSurveyId(e.currentTarget.value)}>
          {surveys.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title[props.locale] ?? s.title.en ?? s.id}
            </option>
          ))}
        </select>
      </label>
      <fieldset class="periods">
        <legend>{words.channelLabel}</legend>
        {channels.map((c) => (
          <label key={c} class="period">
            <input type="radio" name="channel" value={c} checked={channel === c} onChange={() => choose(c)} />
            <span>{channelName({ channel: c }, words)}</span>
          </label>
        ))}
      </fieldset>
      {channel !== 'email' && numbersOn(channel).length > 0 && (
        <label>
          {words.askHow}
          <select
            name="source"
            value={source}
            aria-describedby={conversational ? 'campaign-source-hint' : undefined}
            onChange={(e) => setSource(e.currentTarget.value)}
          >
            {channel === 'sms' && <option value="">{words.askByLink}</option>}
            {numbersOn(channel).map((n) => (
              <option key={n.source} value={n.source}>
                {fill(words.askOn, { number: `${n.number} (${n.source})` })}
              </option>
            ))}
          </select>
          {conversational && <small id="campaign-source-hint">{words.askOnHint}</small>}
        </label>
      )}
      <label>
        {words.audienceKey}
        <input
          name="audience-key"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          placeholder="list"
        />
      </label>
      {key.trim() && (
        <label>
          {words.audienceValue}
          <input
            name="audience-value"
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            required
          />
        </label>
      )}
      <DaysField
        label={words.quietDays}
        name="quiet-days"
        min={0}
        max={365}
        value={quietDays}
        onInput={setQuietDays}
        required
      />
      {!conversational && (
        <DaysField
          label={words.reminderAfter}
          name="reminder"
          min={1}
          max={30}
          value={reminder}
          onInput={setReminder}
        />
      )}
      <button type="submit" disabled={busy}>
        {words.createCampaign}
      </button>
    </form>
  );
}

/** A whole number of days, typed on a phone's numeric keypad. */
function DaysField(props: {
  label: string;
  name: string;
  min: number;
  max: number;
  value: string;
  onInput: (value: string) => void;
  required?: boolean;
}) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        required={props.required}
      />
    </label>
  );
}
