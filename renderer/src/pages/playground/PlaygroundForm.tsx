import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { completionRequestSchema, MODEL_CLASSES, type ModelClass, PURPOSES, type Purpose } from '../../../../shared/ai';
import { usePlayground } from '../../stores/playground';

// The contract's own rule, so the form and main never disagree on what a valid limit is.
const tokensRule = completionRequestSchema.shape.maxOutputTokens;
const MAX_TOKENS = tokensRule.maxValue ?? 0;

export function PlaygroundForm() {
  const { t } = useTranslation();
  const draft = usePlayground((s) => s.draft);
  const running = usePlayground((s) => s.running);
  const edit = usePlayground((s) => s.edit);
  const send = usePlayground((s) => s.send);
  const [tried, setTried] = useState(false);

  const promptValid = draft.prompt.trim() !== '';
  const tokensValid = /^\d+$/.test(draft.maxOutputTokens.trim()) && tokensRule.safeParse(Number(draft.maxOutputTokens)).success;
  const promptError = tried && !promptValid ? t('playground.promptRequired') : undefined;
  const tokensError = tried && !tokensValid ? t('playground.tokensRange', { max: MAX_TOKENS.toLocaleString() }) : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (promptValid && tokensValid) void send();
  };
  // Ctrl+Enter (Cmd+Enter on a Mac) sends from anywhere in the form, a textarea included.
  const sendShortcut = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || running) return;
    submit(e);
  };

  return (
    <form className="card playground-form" onSubmit={submit} onKeyDown={sendShortcut} noValidate aria-label={t('playground.formLabel')}>
      <div className="field">
        <label htmlFor="pg-system">{t('playground.system')}</label>
        <textarea id="pg-system" rows={2} value={draft.system} placeholder={t('playground.systemPlaceholder')}
          onChange={(e) => edit({ system: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="pg-prompt">{t('playground.prompt')}</label>
        <textarea id="pg-prompt" rows={5} value={draft.prompt} placeholder={t('playground.promptPlaceholder')}
          aria-invalid={promptError ? true : undefined} aria-describedby={promptError ? 'pg-prompt-note' : undefined}
          onChange={(e) => edit({ prompt: e.target.value })} />
        {promptError && <small id="pg-prompt-note" className="error">{promptError}</small>}
      </div>
      <div className="grid-form four">
        <div className="field">
          <label htmlFor="pg-purpose">{t('playground.purpose')}</label>
          <select id="pg-purpose" value={draft.purpose} onChange={(e) => edit({ purpose: e.target.value as Purpose })}>
            {PURPOSES.map((p) => <option key={p} value={p}>{t(`purposes.${p}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pg-class">{t('playground.modelClass')}</label>
          <select id="pg-class" value={draft.modelClass} onChange={(e) => edit({ modelClass: e.target.value as ModelClass })}>
            {MODEL_CLASSES.map((c) => <option key={c} value={c}>{t(`modelClasses.${c}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pg-tokens">{t('playground.maxTokens')}</label>
          <input id="pg-tokens" inputMode="numeric" value={draft.maxOutputTokens}
            aria-invalid={tokensError ? true : undefined} aria-describedby={tokensError ? 'pg-tokens-note' : undefined}
            onChange={(e) => edit({ maxOutputTokens: e.target.value })} />
          {tokensError && <small id="pg-tokens-note" className="error">{tokensError}</small>}
        </div>
        <label className="switch inline">
          <input type="checkbox" checked={draft.stream} onChange={(e) => edit({ stream: e.target.checked })} />
          <span>{t('playground.stream')}</span>
        </label>
      </div>
      <div className="actions">
        <button type="submit" disabled={running} aria-busy={running}>
          {running ? t('playground.sending') : t('playground.send')}
        </button>
        {running && <span role="status" className="muted">{t('playground.waiting')}</span>}
        {!running && <small className="muted">{t('outcomes.shortcut')}</small>}
      </div>
    </form>
  );
}
