import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/query';
import { BudgetsEditor } from './BudgetsEditor';
import { TeamSpendShares } from './TeamSpendShares';

/**
 * The team's budgets, shown once the team layer is switched on for this seat. Offline it shows the
 * last copy this seat received; a save then says the team is not reachable.
 */
export function TeamBudgets() {
  const { t } = useTranslation();
  const { data } = useCall('teamBudgets.get', {});
  if (!data || data.status === 'disabled') return null;
  const note = (
    <p className={data.status === 'ok' ? 'muted' : 'error'} role="status" data-testid="team-budgets-status">
      {t(`teamBudgets.status.${data.status}`)}
      {data.budgets.updatedBy && ` · ${t('teamBudgets.savedBy', { seat: data.budgets.updatedBy.slice(0, 8) })}`}
    </p>
  );
  return (
    <div className="stack" data-testid="team-budgets">
      <BudgetsEditor model={data.budgets.model} team={{ version: data.budgets.version, note }} />
      <TeamSpendShares thresholds={data.budgets.model.thresholds} />
    </div>
  );
}
