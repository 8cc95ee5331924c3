import type { TFunction } from 'i18next';
import type { ProviderFailure } from '../../../../shared/ai';

/** "Azure: the API key was refused (…); OpenAI: server error 503 after 2 tries", in the operator's language. */
export function describeFailures(t: TFunction, failures: ProviderFailure[]): string {
  const parts = failures.map((f) => {
    const provider = t(`providers.names.${f.provider}`);
    const status = f.status ?? '';
    const what = t(`outcomes.failure.${f.kind}`, { status, context: f.status === null ? undefined : 'status' });
    const line = t('outcomes.failure.line', { provider, what });
    return f.tries > 1 ? t('outcomes.failure.afterTries', { line, count: f.tries }) : line;
  });
  return t('outcomes.failure.all', { list: parts.join(t('outcomes.failure.separator')) });
}
