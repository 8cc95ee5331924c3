import type { AppInfo } from '../../shared/contract';
import type { healthMethods } from '../../shared/contract/health';
import type { HandlersFor } from '../ipc/registry';
import type { Shell } from '../ports/shell';
import { getHealth, type HealthDeps } from './health';

export interface HealthHandlerDeps extends HealthDeps {
  app: Omit<AppInfo, 'platform'>;
  logsDir: string;
  shell: Shell;
}

export function healthHandlers(deps: HealthHandlerDeps): HandlersFor<typeof healthMethods> {
  return {
    'app.info': () => ({ ...deps.app, platform: process.platform }),
    'health.get': () => getHealth(deps),
    'app.logs': () => ({ dir: deps.logsDir }),
    'app.openLogsFolder': async () => ({ dir: deps.logsDir, opened: await deps.shell.openPath(deps.logsDir) }),
  };
}
