import type { alertsMethods } from '../../shared/contract/alerts';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import { secretWrite } from '../secrets/handler-errors';
import type { AlertChannels } from './channels';

/** Channels are always the live profile's: Sandbox mode changes where alerts fire from, not these settings. */
export function alertsHandlers(channels: AlertChannels, events: EventBus, onChange: () => void = () => undefined): HandlersFor<typeof alertsMethods> {
  const changed = <T>(value: T): T => {
    events.emit('alerts.channelsChanged', {});
    onChange();
    return value;
  };
  return {
    'alerts.channels': () => channels.view(),
    'alerts.setChannels': async (patch) => changed(await channels.update(patch)),
    'alerts.setSecret': async (input) => changed(await secretWrite(() => channels.setSecret(input))),
    'alerts.clearSecret': async ({ secret }) => changed(await secretWrite(() => channels.clearSecret(secret))),
    'alerts.test': ({ channel }) => channels.test(channel),
    'alerts.retry': ({ channel, alertId }) => {
      const requeued = channels.retry(channel, alertId);
      // The history shows that alert's delivery pending again.
      if (alertId !== undefined) events.emit('alerts.changed', { id: alertId });
      return changed({ requeued });
    },
  };
}
