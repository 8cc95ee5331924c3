import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PERSONA_CHARS, MAX_VOICE_CHARS, type PersonaWithTime } from '../../../../shared/campaigns';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';

/** The creator account's persona and voice, which every AI-written message of hers follows. */
export function PersonaSection({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const current = useCall('personas.get', { accountId });
  const set = useAct('personas.set');
  const data = current.data;
  return (
    <details className="persona" data-testid="persona">
      <summary>{t('composer.persona.title')}</summary>
      {/* A save (here or in another window) refills the form with what was stored. */}
      {data && <PersonaForm key={data.updatedAt ?? 'none'} saved={data} set={set} />}
    </details>
  );
}

function PersonaForm({ saved, set }: { saved: PersonaWithTime; set: ReturnType<typeof useAct<'personas.set'>> }) {
  const { t } = useTranslation();
  const [persona, setPersona] = useState(saved.persona);
  const [voice, setVoice] = useState(saved.voice);
  const accountId = saved.accountId;
  const changed = persona !== saved.persona || voice !== saved.voice;
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor="persona-text">{t('composer.persona.persona')}</label>
        <textarea id="persona-text" rows={3} maxLength={MAX_PERSONA_CHARS} value={persona} onChange={(e) => setPersona(e.target.value)} aria-describedby="persona-help" />
        <small id="persona-help">{t('composer.persona.personaHelp')}</small>
      </div>
      <div className="field">
        <label htmlFor="persona-voice">{t('composer.persona.voice')}</label>
        <textarea id="persona-voice" rows={2} maxLength={MAX_VOICE_CHARS} value={voice} onChange={(e) => setVoice(e.target.value)} aria-describedby="voice-help" />
        <small id="voice-help">{t('composer.persona.voiceHelp')}</small>
      </div>
      {set.error && <p className="error" role="alert">{describeError(t, set.error)}</p>}
      <div className="actions">
        <button type="button" className="secondary" disabled={!changed || set.isPending} onClick={() => set.mutate({ accountId, persona, voice })}>
          {t('composer.persona.save')}
        </button>
        {set.isSuccess && !changed && <span className="ok" role="status">{t('composer.persona.saved')}</span>}
      </div>
    </div>
  );
}
