import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertSecret } from '../../../../shared/alerts';
import type { AppErrorData } from '../../../../shared/result';
import { useAct } from '../../api/query';
import { type Notice, NoticeView } from '../../components/Notice';

interface Props {
  secret: AlertSecret;
  isSet: boolean;
  /** The write-only inputs: uncontrolled, so a value never becomes a DOM attribute, and emptied once saved. */
  fields: { name: string; label: string; type: 'text' | 'password' }[];
}

/** A secret goes one way: typed here, kept by the core's secret store, never sent back. */
export function ChannelSecret({ secret, isSet, fields }: Props) {
  const { t } = useTranslation();
  const form = useRef<HTMLFormElement>(null);
  const [notice, setNotice] = useState<Notice>();
  const set = useAct('alerts.setSecret', { gcTime: 0 });
  const clear = useAct('alerts.clearSecret');
  const busy = set.isPending || clear.isPending;
  const failed = (error: AppErrorData) => setNotice({ tone: 'error', error, wrap: 'alertChannels.secretFailed' });

  const save = (e: FormEvent) => {
    e.preventDefault();
    const data = new FormData(form.current!);
    const values = Object.fromEntries(fields.map((f) => [f.name, String(data.get(f.name) ?? '').trim()]));
    if (Object.values(values).some((v) => v === '')) {
      setNotice({ tone: 'error', key: 'alertChannels.secretMissing' });
      return;
    }
    const input = secret === 'slack' ? { secret, webhookUrl: values.webhookUrl! } : { secret, accessKeyId: values.accessKeyId!, secretAccessKey: values.secretAccessKey! };
    set.mutate(input, {
      onSuccess: () => {
        form.current?.reset();
        setNotice({ tone: 'ok', key: 'alertChannels.secretSaved' });
      },
      onError: failed,
      onSettled: () => set.reset(),
    });
  };

  return (
    <form ref={form} className="key-form" onSubmit={save} noValidate aria-label={t(`alertChannels.secrets.${secret}`)}>
      <div className="key-head">
        <h3>{t(`alertChannels.secrets.${secret}`)}</h3>
        <span className={`chip ${isSet ? 'good' : ''}`} data-testid={`secret-status-${secret}`}>
          {isSet ? t('alertChannels.secretSet') : t('alertChannels.secretNotSet')}
        </span>
      </div>
      {fields.map((f) => (
        <div className="field" key={f.name}>
          <label htmlFor={`alert-${secret}-${f.name}`}>{f.label}</label>
          <input id={`alert-${secret}-${f.name}`} name={f.name} type={f.type} autoComplete="off" spellCheck={false} placeholder={isSet ? t('alertChannels.replace') : ''} />
        </div>
      ))}
      <div className="actions">
        <button type="submit" disabled={busy}>{t('alertChannels.saveSecret')}</button>
        <button type="button" className="secondary" disabled={busy || !isSet} onClick={() => clear.mutate({ secret }, { onSuccess: () => setNotice({ tone: 'ok', key: 'alertChannels.secretRemoved' }), onError: failed })}>
          {t('alertChannels.removeSecret')}
        </button>
      </div>
      {notice && <NoticeView notice={notice} />}
    </form>
  );
}
