import type { AudienceProgress, ImportMode } from '../../shared/audiences';
import type { audiencesMethods } from '../../shared/contract/audiences';
import { AppError } from '../../shared/result';
import type { Db } from '../db/open';
import { Coalesced } from '../ipc/coalesce';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import { canListFans } from '../messaging/transport';
import type { Messaging } from '../messaging/wiring';
import type { Clock } from '../ports/clock';
import { Audiences } from './audiences';
import type { Uploads } from './uploads';

/** At most one `audiences.progress` per operation per this many ms; `done` goes out at once. */
export const AUDIENCE_PROGRESS_EVERY_MS = 200;

export interface AudiencesDeps {
  /** The active profile's database and messaging: Sandbox mode switches both. */
  db: () => Db;
  messaging: () => Messaging;
  clock: Clock;
  events: EventBus;
  /** Fan files uploaded by the renderer, in the data folder. */
  uploads: Uploads;
}

/** Progress of one operation, coalesced; `finish` sends the last step unmerged. */
function progressFor(events: EventBus, base: Pick<AudienceProgress, 'accountId' | 'operation'>) {
  const steps = new Coalesced<AudienceProgress>(AUDIENCE_PROGRESS_EVERY_MS, (_, later) => later, (p) => events.emit('audiences.progress', p));
  return {
    step: (p: Omit<AudienceProgress, 'accountId' | 'operation' | 'done'>) => steps.push({ ...base, ...p, done: false }),
    finish: (p: Omit<AudienceProgress, 'accountId' | 'operation' | 'done'>) => {
      steps.close();
      events.emit('audiences.progress', { ...base, ...p, done: true });
    },
  };
}

export function audiencesHandlers(deps: AudiencesDeps): HandlersFor<typeof audiencesMethods> {
  const built = new WeakMap<Db, Audiences>();
  const audiences = () => {
    const db = deps.db();
    let a = built.get(db);
    if (!a) {
      a = new Audiences(db, deps.clock);
      built.set(db, a);
    }
    return a;
  };
  /** Refuses an account of another profile (or a removed one) before any file is read. */
  const account = (id: string) => deps.messaging().accounts.get(id);

  const importFile = async (accountId: string, path: string, mode: ImportMode) => {
    const a = audiences();
    const progress = progressFor(deps.events, { accountId, operation: 'import' });
    let last = { bytes: 0, totalBytes: null as number | null, rows: 0 };
    try {
      const result = await a.importCsv(accountId, path, mode, (p) => {
        last = p;
        progress.step(p);
      });
      if (result.committed && result.imported + result.updated > 0) deps.events.emit('audiences.changed', { accountId });
      return result;
    } finally {
      progress.finish(last);
    }
  };

  return {
    'audiences.import': async ({ accountId, path, mode }) => {
      await account(accountId);
      return importFile(accountId, path, mode);
    },
    'audiences.fetch': async ({ accountId }) => {
      const m = deps.messaging();
      const transport = await m.transportFor(await m.accounts.get(accountId));
      if (!transport || !canListFans(transport)) throw new AppError('conflict', 'fans_no_transport', { id: accountId });
      const progress = progressFor(deps.events, { accountId, operation: 'fetch' });
      let rows = 0;
      try {
        const result = await audiences().fetch(accountId, transport, (received) => {
          rows = received;
          progress.step({ bytes: 0, totalBytes: null, rows });
        });
        if (result.imported + result.updated > 0) deps.events.emit('audiences.changed', { accountId });
        return result;
      } finally {
        progress.finish({ bytes: 0, totalBytes: null, rows });
      }
    },
    'audiences.uploadBegin': async ({ accountId, size }) => {
      await account(accountId);
      return { uploadId: await deps.uploads.begin(deps.db(), accountId, size) };
    },
    'audiences.uploadChunk': async ({ uploadId, seq, data }) => ({
      received: await deps.uploads.chunk(deps.db(), uploadId, seq, Buffer.from(data, 'base64')),
    }),
    'audiences.uploadCommit': async ({ uploadId, mode }) => {
      const upload = await deps.uploads.finish(deps.db(), uploadId);
      try {
        // The account may have been removed while the file came in.
        await account(upload.accountId);
        return await importFile(upload.accountId, upload.path, mode);
      } finally {
        await upload.discard();
      }
    },
    'audiences.uploadAbort': async ({ uploadId }) => {
      await deps.uploads.abort(deps.db(), uploadId);
      return {};
    },
    'audiences.list': async ({ accountId, segment, limit, cursor }) => {
      await account(accountId);
      return audiences().list(accountId, segment ?? { all: [], any: [] }, { limit, cursor });
    },
    'audiences.segments': async ({ accountId, segments }) => {
      await account(accountId);
      return audiences().segments(accountId, segments);
    },
  };
}
