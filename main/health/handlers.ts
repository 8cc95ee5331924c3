import type { AppInfo } from '../../shared/contract';
import type { healthMethods } from '../../shared/contract/health';
import type { HandlersFor } from '../ipc/registry';
import { getHealth, type HealthDeps } from './health';

export interface HealthHandlerDeps extends HealthDeps {
  app: Omit<AppInfo, 'platform'>;
}

export function healthHandlers(deps: HealthHandlerDeps): HandlersFor<typeof healthMethods> {
  return {
    'app.info': () => ({ ...deps.app, platform: process.platform }),
    'health.get': () => getHealth(deps),
  };
}
