import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SnsSettings } from '../../../../shared/alerts';
import type { Output } from '../../../../shared/contract';
import type { AppErrorData } from '../../../../shared/result';
import { describeError, describeIssue } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { Field } from '../../components/Field';
import { type Notice, NoticeView } from '../../components/Notice';
import { ChannelSecret } from './ChannelSecret';
import { ChannelStatus } from './ChannelStatus';

type View = Output<'alerts.channels'>;

function EnabledSwitch({ channel, enabled }: { channel: 'os' | 'slack'; enabled: boolean }) {
  const { t } = useTranslation();
  const save = useAct('alerts.setChannels');
  return (
    <label className="checkbox">
      <input type="checkbox" checked={enabled} disabled={save.isPending} onChange={(e) => save.mutate({ [channel]: { enabled: e.target.checked } })} />
      {t(`alertChannels.enable.${channel}`)}
      {save.error && <span className="error" role="alert"> {describeError(t, save.error)}</span>}
    </label>
  );
}

function SnsCard({ view }: { view: View }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<SnsSettings>(view.settings.sns);
  // What is saved changed (this window's save, or another window's): the draft starts from it again.
  const [base, setBase] = useState(view.settings.sns);
  if (base !== view.settings.sns) {
    setBase(view.settings.sns);
    setDraft(view.settings.sns);
  }
  const [notice, setNotice] = useState<Notice>();
  const [issues, setIssues] = useState<AppErrorData['issues']>([]);
  const save = useAct('alerts.setChannels');
  const errorOf = (field: keyof SnsSettings) => {
    const issue = issues?.find((i) => i.path[0] === 'sns' && i.path[1] === field);
    return issue ? describeIssue(t, issue) : undefined;
  };
  const set = (field: keyof SnsSettings) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { sns: draft },
      {
        onSuccess: () => {
          setIssues([]);
          setNotice({ tone: 'ok', key: 'alertChannels.saved' });
        },
        onError: (error) => {
          setIssues(error.issues ?? []);
          setNotice({ tone: 'error', error: { ...error, issues: undefined }, wrap: 'alertChannels.saveFailed' });
        },
      },
    );
  };
  return (
    <article className="card" data-testid="channel-sns" aria-labelledby="channel-sns-title">
      <h2 id="channel-sns-title">{t('alertChannels.sns.title')}</h2>
      <p className="muted">{t('alertChannels.sns.help')}</p>
      <form onSubmit={submit} noValidate>
        <label className="checkbox">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
          {t('alertChannels.enable.sns')}
        </label>
        <Field id="sns-region" label={t('alertChannels.sns.region')} value={draft.region} onChange={set('region')} help={t('alertChannels.sns.regionHelp')} error={errorOf('region')} />
        <Field id="sns-topicArn" label={t('alertChannels.sns.topicArn')} value={draft.topicArn} onChange={set('topicArn')} help={t('alertChannels.sns.topicArnHelp')} error={errorOf('topicArn')} />
        <Field id="sns-endpoint" label={t('alertChannels.sns.endpoint')} value={draft.endpoint} onChange={set('endpoint')} help={t('alertChannels.sns.endpointHelp')} error={errorOf('endpoint')} />
        <fieldset>
          <legend>{t('alertChannels.sns.credentials')}</legend>
          {(['keys', 'default'] as const).map((c) => (
            <label key={c} className="radio">
              <input type="radio" name="sns-credentials" checked={draft.credentials === c} onChange={() => setDraft((d) => ({ ...d, credentials: c }))} />
              {t(`alertChannels.sns.credentialModes.${c}`)}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={save.isPending}>{save.isPending ? t('settings.saving') : t('settings.save')}</button>
        </div>
        {notice && <NoticeView notice={notice} />}
      </form>
      {draft.credentials === 'keys' && (
        <ChannelSecret
          secret="aws"
          isSet={view.secrets.aws}
          fields={[
            { name: 'accessKeyId', label: t('alertChannels.sns.accessKeyId'), type: 'password' },
            { name: 'secretAccessKey', label: t('alertChannels.sns.secretAccessKey'), type: 'password' },
          ]}
        />
      )}
      <ChannelStatus channel="sns" status={view.status.sns} />
    </article>
  );
}

/** Settings → Alert channels: where fired alerts go. These are the agency's real channels, kept in the live profile. */
export function AlertChannelsSettings() {
  const { t } = useTranslation();
  const { data: view, error } = useCall('alerts.channels', {});
  if (error) return <p className="error" role="alert">{describeError(t, error)}</p>;
  if (!view) return <p className="muted">{t('settings.loading')}</p>;
  return (
    <div className="stack">
      <p className="muted">{t('alertChannels.intro')}</p>
      <article className="card" data-testid="channel-os" aria-labelledby="channel-os-title">
        <h2 id="channel-os-title">{t('alertChannels.os.title')}</h2>
        <p className="muted">{t('alertChannels.os.help')}</p>
        <EnabledSwitch channel="os" enabled={view.settings.os.enabled} />
        <ChannelStatus channel="os" status={view.status.os} />
      </article>
      <SnsCard view={view} />
      <article className="card" data-testid="channel-slack" aria-labelledby="channel-slack-title">
        <h2 id="channel-slack-title">{t('alertChannels.slack.title')}</h2>
        <p className="muted">{t('alertChannels.slack.help')}</p>
        <EnabledSwitch channel="slack" enabled={view.settings.slack.enabled} />
        <ChannelSecret secret="slack" isSet={view.secrets.slack} fields={[{ name: 'webhookUrl', label: t('alertChannels.slack.webhook'), type: 'password' }]} />
        <ChannelStatus channel="slack" status={view.status.slack} />
      </article>
    </div>
  );
}
