import { useTranslation } from 'react-i18next';
import type { BudgetThreshold } from '../../../../shared/budgets';
import { useCall } from '../../api/query';
import { useMoney } from '../../lib/money';

/**
 * Beside the team's budgets: what this seat holds of each team hard stop. The cap binds every
 * seat, so an operator refused "by the team" can see here that the others used it.
 */
export function TeamSpendShares({ thresholds }: { thresholds: readonly BudgetThreshold[] }) {
  const { t } = useTranslation();
  const money = useMoney();
  const { data } = useCall('teamSpend.get', {});
  const byId = new Map(thresholds.map((th) => [th.id, th]));
  const rows = (data?.allowances ?? []).filter((a) => byId.has(a.thresholdId));
  if (rows.length === 0) return null;
  return (
    <section className="card" aria-labelledby="team-spend-title" data-testid="team-spend">
      <h2 id="team-spend-title">{t('teamSpend.enforced')}</h2>
      <ul>
        {rows.map((a) => {
          const th = byId.get(a.thresholdId)!;
          const scope = th.scope === 'global' ? t('budgets.scopes.global') : `${t(`budgets.scopes.${th.scope}`)} · ${th.scope === 'provider' ? t(`providers.names.${th.target}`) : th.target}`;
          return (
            <li key={a.thresholdId} data-testid={`team-spend-${a.thresholdId}`} data-mode={a.mode}>
              <strong>
                {scope} · {t(`budgets.periods.${th.period}`)} · {money.micros(a.limitMicros)}
              </strong>{' '}
              <span className={a.mode === 'offline' ? 'error' : 'muted'}>
                {a.mode === 'offline'
                  ? t('teamSpend.offline', { share: money.micros(a.allowanceMicros), limit: money.micros(a.limitMicros), seats: a.seats })
                  : a.mode === 'idle'
                    ? t('teamSpend.idle')
                    : t('teamSpend.holds', { held: money.micros(a.allowanceMicros), leased: money.micros(a.leasedMicros), limit: money.micros(a.limitMicros) })}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
