import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type CoreClient, connectCore } from '../../main/core/client';
import { type ForkedCore, forkCore } from '../../main/core/links';
import type { HostPorts } from '../../main/core/protocol';
import type { Logger } from '../../main/ports/logger';
import { ROOT } from './web-process';
import { recordingLogger } from './ai';

export const CORE_ENTRY_TS = join(ROOT, 'main', 'core', 'entry.ts');

export interface ForkedCoreSession {
  core: CoreClient;
  forked: ForkedCore;
  logger: Logger & { lines: string[] };
}

/** Forks the real core entry (TypeScript, through tsx) per call; every one still running is killed after the test. */
export function useCoreProcesses(): (dataDir: string, ports?: HostPorts) => ForkedCoreSession {
  const started: ForkedCoreSession[] = [];
  afterEach(async () => {
    for (const { core, forked } of started.splice(0)) {
      forked.kill();
      await core.exited;
    }
  });
  return (dataDir, ports) => {
    const logger = recordingLogger();
    const forked = forkCore({ entry: CORE_ENTRY_TS, execArgv: ['--import', 'tsx'] });
    const core = connectCore(forked, { dataDir, host: 'web', echoLogs: false }, { logger, ports });
    const session = { core, forked, logger };
    started.push(session);
    return session;
  };
}
