import type { budgetsMethods } from '../../shared/contract/budgets';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import type { Budgets } from './budgets';

/** The active profile's budgets: the Sandbox has its own model and history. */
export function budgetsHandlers(budgets: () => Budgets, events: EventBus): HandlersFor<typeof budgetsMethods> {
  return {
    'costs.thresholds': () => budgets().model(),
    'costs.setThresholds': (model) => {
      const saved = budgets().setModel(model);
      events.emit('budgets.changed', saved);
      return saved;
    },
    'costs.alerts': () => budgets().history(),
    'alerts.acknowledge': ({ id }) => {
      const done = budgets().acknowledge(id);
      events.emit('alerts.changed', { id });
      return done;
    },
  };
}
