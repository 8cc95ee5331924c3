import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_DRAFT_TEMPLATE_CHARS } from '../../../../shared/campaigns';
import { parseTemplate, TEMPLATE_VARIABLE_NAMES, type TemplateProblem, type TemplateVariable } from '../../../../shared/template';

/**
 * The message template with a chip per variable (inserted at the caret as `{variable|fallback}`,
 * the fallback selected so the operator types over it) and the template's problems listed as they
 * are typed, each naming the text it is about; a misspelt variable offers its fix.
 */
export function TemplateEditor({ value, onChange, error }: { value: string; onChange(text: string): void; error?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLTextAreaElement>(null);
  const select = useRef<[number, number] | null>(null);
  const problems = parseTemplate(value).problems;

  // The caret goes where the edit put it, once the new text is in the textarea.
  useLayoutEffect(() => {
    const area = ref.current;
    if (!area || !select.current) return;
    area.focus();
    area.setSelectionRange(...select.current);
    select.current = null;
  }, [value]);

  const replace = (start: number, end: number, text: string, selectFrom: number, selectTo: number) => {
    select.current = [start + selectFrom, start + selectTo];
    onChange(value.slice(0, start) + text + value.slice(end));
  };

  const insert = (name: TemplateVariable) => {
    const area = ref.current;
    const start = area?.selectionStart ?? value.length;
    const end = area?.selectionEnd ?? value.length;
    const fallback = t(`composer.template.fallbacks.${name}`);
    const text = `{${name}|${fallback}}`;
    replace(start, end, text, name.length + 2, name.length + 2 + fallback.length);
  };

  const fix = (p: TemplateProblem) => {
    if (!p.suggestion || !p.name) return;
    const span = value.slice(p.start, p.end);
    const fixed = span.replace(p.name, p.suggestion);
    replace(p.start, p.end, fixed, fixed.length, fixed.length);
  };

  const excerpt = (p: TemplateProblem) => {
    const s = value.slice(p.start, p.end);
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
  };

  const describedBy = ['template-help', problems.length > 0 ? 'template-problems' : null, error ? 'template-error' : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor="composer-template">{t('composer.template.label')}</label>
      <div className="var-chips" role="group" aria-label={t('composer.template.chips')}>
        {TEMPLATE_VARIABLE_NAMES.map((name) => (
          <button key={name} type="button" onClick={() => insert(name)} data-testid={`chip-${name}`} title={t('composer.template.insert', { name })}>
            {`{${name}}`}
            <span className="visually-hidden"> {t(`composer.template.vars.${name}`)}</span>
          </button>
        ))}
      </div>
      <textarea
        id="composer-template"
        ref={ref}
        className="template"
        value={value}
        maxLength={MAX_DRAFT_TEMPLATE_CHARS}
        aria-invalid={problems.length > 0 || error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      <small id="template-help">{t('composer.template.help')}</small>
      {problems.length > 0 && (
        <ul id="template-problems" className="template-problems" data-testid="template-problems">
          {problems.map((p, i) => (
            <li key={`${p.code}-${p.start}-${i}`} data-code={p.code}>
              {t('composer.template.at', { text: excerpt(p), position: p.start + 1 })} {t(`composer.template.problems.${p.code}`, { name: p.name ?? '', suggestion: p.suggestion ?? '', maximum: p.maximum ?? 0 })}
              {p.suggestion && p.name && (
                <button type="button" className="link" onClick={() => fix(p)}>
                  {t('composer.template.fix', { suggestion: p.suggestion })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && <small id="template-error" className="error">{error}</small>}
    </div>
  );
}
