import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamAwsSettings } from '../../../../shared/aws';
import type { EventPayload, Output } from '../../../../shared/contract';
import type { AppErrorData } from '../../../../shared/result';
import { api } from '../../api/client';
import { describeError, describeIssue } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { Field } from '../../components/Field';
import { type Notice, NoticeView } from '../../components/Notice';
import { ChannelSecret } from './ChannelSecret';
import { SyncCard } from './SyncCard';

type View = Output<'aws.settings'>;
type Finding = Output<'aws.doctor'>['findings'][number];
type Progress = EventPayload<'aws.provisionProgress'>;
const ICON = { ok: '✓', warn: '!', fail: '✕' } as const;

function SettingsCard({ view, keysSet }: { view: View; keysSet: boolean }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<TeamAwsSettings>(view.settings);
  const [emails, setEmails] = useState(view.settings.alertEmails.join(', '));
  const [issues, setIssues] = useState<AppErrorData['issues']>([]);
  const [notice, setNotice] = useState<Notice>();
  const save = useAct('aws.setSettings');
  const errorOf = (field: keyof TeamAwsSettings) => {
    const issue = issues?.find((i) => i.path[0] === field);
    return issue ? describeIssue(t, issue) : undefined;
  };
  const set = (field: 'region' | 'endpoint' | 'snsEndpoint' | 'prefix') => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const alertEmails = emails.split(/[\s,;]+/).filter(Boolean);
    save.mutate(
      { ...draft, alertEmails },
      {
        onSuccess: () => {
          setIssues([]);
          setNotice({ tone: 'ok', key: 'team.saved' });
        },
        onError: (error) => {
          setIssues(error.issues ?? []);
          setNotice({ tone: 'error', error: { ...error, issues: undefined }, wrap: 'team.saveFailed' });
        },
      },
    );
  };
  return (
    <article className="card" data-testid="team-settings" aria-labelledby="team-settings-title">
      <h2 id="team-settings-title">{t('team.settings.title')}</h2>
      <form onSubmit={submit} noValidate>
        <label className="checkbox">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
          {t('team.settings.enabled')}
        </label>
        <Field id="team-region" label={t('team.settings.region')} value={draft.region} onChange={set('region')} help={t('team.settings.regionHelp')} error={errorOf('region')} />
        <Field id="team-prefix" label={t('team.settings.prefix')} value={draft.prefix} onChange={set('prefix')} help={t('team.settings.prefixHelp', view.names)} error={errorOf('prefix')} />
        <Field id="team-emails" label={t('team.settings.emails')} value={emails} onChange={setEmails} help={t('team.settings.emailsHelp')} error={errorOf('alertEmails')} />
        <Field id="team-endpoint" label={t('team.settings.endpoint')} value={draft.endpoint} onChange={set('endpoint')} help={t('team.settings.endpointHelp')} error={errorOf('endpoint')} />
        <Field id="team-snsEndpoint" label={t('team.settings.snsEndpoint')} value={draft.snsEndpoint} onChange={set('snsEndpoint')} help={t('team.settings.snsEndpointHelp')} error={errorOf('snsEndpoint')} />
        <fieldset>
          <legend>{t('team.settings.credentials')}</legend>
          {(['keys', 'default'] as const).map((c) => (
            <label key={c} className="radio">
              <input type="radio" name="team-credentials" checked={draft.credentials === c} onChange={() => setDraft((d) => ({ ...d, credentials: c }))} />
              {t(`team.settings.credentialModes.${c}`)}
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
          isSet={keysSet}
          fields={[
            { name: 'accessKeyId', label: t('alertChannels.sns.accessKeyId'), type: 'password' },
            { name: 'secretAccessKey', label: t('alertChannels.sns.secretAccessKey'), type: 'password' },
          ]}
        />
      )}
      <p className="muted">{t('team.settings.sharedKeys')}</p>
    </article>
  );
}

function FindingList({ findings }: { findings: Finding[] }) {
  const { t } = useTranslation();
  return (
    <ul className="findings" data-testid="team-doctor">
      {findings.map((f) => (
        <li key={f.id} data-status={f.status}>
          <span className={`chip ${f.status === 'ok' ? 'good' : f.status === 'fail' ? 'bad' : ''}`} aria-label={t(`team.status.${f.status}`)}>{ICON[f.status]}</span>{' '}
          {t(`team.${f.code}`, f.params)}
          {f.fix && <span className="muted"> — {t(`team.${f.fix}`, f.params)}</span>}
        </li>
      ))}
    </ul>
  );
}

function AccessCard() {
  const { t } = useTranslation();
  const test = useAct('aws.test');
  const doctor = useAct('aws.doctor');
  const policy = useCall('aws.policy', {});
  const [copied, setCopied] = useState(false);
  const access = test.data;
  return (
    <article className="card" aria-labelledby="team-access-title">
      <h2 id="team-access-title">{t('team.access.title')}</h2>
      <div className="actions">
        <button type="button" onClick={() => test.mutate({}, { onSettled: () => void policy.refetch() })} disabled={test.isPending}>{t('team.access.test')}</button>
        <button type="button" onClick={() => doctor.mutate({}, { onSettled: () => void policy.refetch() })} disabled={doctor.isPending}>{t('team.access.doctor')}</button>
      </div>
      {test.error && <p className="error" role="alert">{describeError(t, test.error)}</p>}
      {access && (
        <p role="status" data-testid="team-access-result" className={access.credentials === 'ok' && access.skew !== 'fail' ? 'ok' : 'error'}>
          {t(`team.access.credentials.${access.credentials}`, { account: access.account, region: access.region, context: access.account ? undefined : 'noAccount' })}{' '}
          {t(`team.access.skew.${access.skew}`, { seconds: Math.round((access.skewMs ?? 0) / 100) / 10 })}
        </p>
      )}
      {doctor.error && <p className="error" role="alert">{describeError(t, doctor.error)}</p>}
      {doctor.data && <FindingList findings={doctor.data.findings} />}
      <h3>{t('team.policy.title')}</h3>
      <p className="muted">{t('team.policy.help')}</p>
      {policy.data && (
        <>
          <pre className="code" data-testid="team-policy" tabIndex={0} aria-label={t('team.policy.title')}>{policy.data.json}</pre>
          <button type="button" onClick={() => void navigator.clipboard.writeText(policy.data.json).then(() => setCopied(true))}>{copied ? t('team.policy.copied') : t('team.policy.copy')}</button>
        </>
      )}
    </article>
  );
}

function ProvisionCard() {
  const { t } = useTranslation();
  const plan = useAct('aws.plan');
  const provision = useAct('aws.provision');
  const subscriptions = useAct('aws.subscriptions');
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [last, setLast] = useState<Progress | null>(null);
  useEffect(
    () =>
      api.on('aws.provisionProgress', (p) => {
        setLast(p);
        setProgress((all) => ({ ...all, [p.step.id]: p }));
      }),
    [],
  );
  const steps = provision.data?.plan.steps ?? plan.data?.steps ?? [];
  const run = () => {
    setProgress({});
    provision.mutate({}, { onSuccess: () => subscriptions.mutate({}) });
  };
  return (
    <article className="card" aria-labelledby="team-provision-title">
      <h2 id="team-provision-title">{t('team.provision.title')}</h2>
      <p className="muted">{t('team.provision.help')}</p>
      <div className="actions">
        <button type="button" onClick={() => plan.mutate({})} disabled={plan.isPending || provision.isPending}>{t('team.provision.plan')}</button>
        <button type="button" onClick={run} disabled={provision.isPending}>{t('team.provision.run')}</button>
      </div>
      {(plan.error ?? provision.error) && <p className="error" role="alert">{describeError(t, (plan.error ?? provision.error)!)}</p>}
      {provision.isPending && last && (
        <progress max={last.total} value={Object.values(progress).filter((p) => p.state === 'done').length} aria-label={t('team.provision.progress')} />
      )}
      {steps.length > 0 && (
        <ul className="findings" data-testid="team-plan">
          {steps.map((s) => {
            const state = progress[s.id]?.state;
            return (
              <li key={s.id} data-action={s.action}>
                <span className={`chip ${s.action === 'none' ? 'good' : ''}`}>{state ? t(`team.provision.state.${state}`) : t(`team.provision.action.${s.action}`)}</span>{' '}
                {t(`team.provision.resource.${s.resource}`, { name: s.name })}
              </li>
            );
          })}
        </ul>
      )}
      {provision.data?.channelFilled && <p role="status" className="ok">{t('team.provision.channelFilled')}</p>}
      {subscriptions.data && subscriptions.data.subscriptions.length > 0 && (
        <ul className="findings" data-testid="team-subscriptions">
          {subscriptions.data.subscriptions.map((s) => (
            <li key={s.email}>
              <span className={`chip ${s.state === 'confirmed' ? 'good' : ''}`}>{t(`team.subscription.${s.state}`)}</span> {s.email}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/**
 * Settings → Team (AWS): where the agency's shared tables and alert topic are, and the checks
 * that they are usable. Order: settings, access and doctor, provisioning (the sync status card
 * is mounted after these).
 */
export function TeamSettings() {
  const { t } = useTranslation();
  const { data: view, error } = useCall('aws.settings', {});
  const channels = useCall('alerts.channels', {});
  if (error) return <p className="error" role="alert">{describeError(t, error)}</p>;
  if (!view) return <p className="muted">{t('settings.loading')}</p>;
  const keysSet = channels.data?.secrets.aws ?? view.keysSet;
  const fresh = !view.settings.region || (view.settings.credentials === 'keys' && !keysSet);
  return (
    <div className="stack">
      <p className="muted">{t('team.intro')}</p>
      {fresh && (
        <ol className="card" data-testid="team-steps" aria-label={t('team.steps.title')}>
          <li>{t('team.steps.keys')}</li>
          <li>{t('team.steps.test')}</li>
          <li>{t('team.steps.provision')}</li>
        </ol>
      )}
      <SettingsCard view={view} keysSet={keysSet} />
      <AccessCard />
      <ProvisionCard />
      <SyncCard />
    </div>
  );
}
