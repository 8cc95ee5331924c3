import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData } from '../../../../shared/result';
import { useAct, useCall } from '../../api/query';
import { type Message, useSay } from '../../components/Notice';

/** One word a line (or comma separated): the way agencies keep such lists in a note. */
const parse = (text: string) => text.split(/[\n,]/).map((w) => w.trim()).filter((w) => w !== '');

/** The agency's restricted words, on top of the built-in ones; every outgoing text is checked against both. */
export function RestrictedWordsCard() {
  const { t } = useTranslation();
  const say = useSay();
  const { data } = useCall('restricted.get', {});
  const save = useAct('restricted.set');
  const [text, setText] = useState<string>();
  const [problem, setProblem] = useState<Message>();
  const [saved, setSaved] = useState(false);
  if (!data) return null;
  const value = text ?? data.words.join('\n');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const words = parse(value);
    save.mutate(
      { words },
      {
        onSuccess: () => {
          setText(undefined);
          setProblem(undefined);
          setSaved(true);
        },
        onError: (error: AppErrorData) => {
          setSaved(false);
          const issue = error.issues?.[0];
          const at = typeof issue?.path[1] === 'number' ? words[issue.path[1]] : undefined;
          setProblem(issue ? { issue, wrap: 'restrictedWords.wordProblem', values: { word: at ?? '' } } : { error });
        },
      },
    );
  };
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="restricted-title" data-testid="restricted-words">
      <h2 id="restricted-title">{t('restrictedWords.title')}</h2>
      <p className="muted">{t('restrictedWords.help')}</p>
      <div className="field">
        <label htmlFor="restricted-list">{t('restrictedWords.agency')}</label>
        <textarea
          id="restricted-list"
          rows={5}
          value={value}
          aria-invalid={problem ? true : undefined}
          aria-describedby="restricted-note"
          onChange={(e) => {
            setText(e.target.value);
            setSaved(false);
          }}
        />
        <small id="restricted-note" className={problem ? 'error' : undefined}>{problem ? say(problem) : t('restrictedWords.format')}</small>
      </div>
      <p className="muted">{t('restrictedWords.defaults', { words: data.defaults.join(', ') })}</p>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>{save.isPending ? t('settings.saving') : t('settings.save')}</button>
      </div>
      {saved && <p role="status" className="ok">{t('restrictedWords.saved')}</p>}
    </form>
  );
}
