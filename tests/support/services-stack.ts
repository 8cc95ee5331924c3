import { afterEach } from 'vitest';
import { createServices, type Services, type ServicesOptions } from '../../main/services';
import { recordingLogger } from './ai';
import { useTempDirs } from './tmp';

/** What a contract method answers, as the renderer sees it. */
export type Reply<T> =
  | { ok: true; value: T }
  | { ok: false; error: { kind: string; code: string; params?: Record<string, unknown>; issues?: Array<{ path: unknown[]; code?: string; params?: Record<string, unknown> }> } };

export interface ServicesStack {
  services: Services;
  dataDir: string;
  call<T = unknown>(method: string, input: unknown): Promise<Reply<T>>;
  /** The method's value; a refusal throws, naming the method and the error code. */
  value<T = unknown>(method: string, input: unknown): Promise<T>;
  /** A live list of the payloads of every `name` event from now on; `unpack` spreads a batch into items. */
  capture<T = unknown>(name: string, unpack?: (payload: unknown) => T[]): T[];
  /** Resolves once `test` holds, checked at once and after each event. */
  until(test: () => boolean): Promise<void>;
  /** Closes these services now rather than after the test (a restart over the same data dir). */
  close(): Promise<void>;
}

/**
 * Real services over a real SQLite file in a temp data dir, as the web host builds them; every
 * stack a test starts is closed after it. `sandbox` turns Sandbox mode on through the contract.
 */
export function useServicesStack(): (options?: { dataDir?: string; sandbox?: boolean; campaigns?: ServicesOptions['campaigns'] } & Pick<ServicesOptions, 'notifier' | 'alerts'>) => Promise<ServicesStack> {
  const tempDir = useTempDirs();
  const open = new Set<Services>();
  afterEach(async () => {
    for (const s of [...open]) {
      open.delete(s);
      await s.close();
    }
  });
  return async ({ dataDir = tempDir(), sandbox = false, campaigns, notifier, alerts } = {}) => {
    const services = await createServices({ dataDir, host: 'web', logger: recordingLogger(), campaigns, notifier, alerts });
    open.add(services);
    const call = async <T>(method: string, input: unknown) => (await services.registry.dispatch(method, input)) as Reply<T>;
    const value = async <T>(method: string, input: unknown): Promise<T> => {
      const r = await call<T>(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
      return r.value;
    };
    const captures: Array<{ name: string; add: (payload: unknown) => void }> = [];
    const waiters: Array<() => void> = [];
    // One listener, captures first, so a waiter checked after an event sees that event's payload.
    services.events.subscribe((name, payload) => {
      for (const c of captures) if (c.name === name) c.add(payload);
      for (const w of [...waiters]) w();
    });
    const capture = <T>(name: string, unpack = (payload: unknown) => [payload as T]): T[] => {
      const seen: T[] = [];
      captures.push({ name, add: (payload) => seen.push(...unpack(payload)) });
      return seen;
    };
    const until = (test: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!test()) return;
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        check();
      });
    const close = async () => {
      if (!open.delete(services)) return;
      await services.close();
    };
    if (sandbox) await value('settings.update', { sandboxMode: true });
    return { services, dataDir, call, value, capture, until, close };
  };
}

/** A new campaign, generated: resolves once its generation run has finished (its last `campaigns.progress`). */
export async function generatedCampaign<C extends { id: string }>(stack: Pick<ServicesStack, 'services' | 'value'>, input: Record<string, unknown>): Promise<C> {
  const c = await stack.value<C>('campaigns.create', input);
  const done = new Promise<void>((resolve) => {
    const off = stack.services.events.subscribe((n, p) => {
      const e = p as { id: string; phase: string; finished: boolean };
      if (n === 'campaigns.progress' && e.id === c.id && e.phase === 'generate' && e.finished) {
        off();
        resolve();
      }
    });
  });
  await stack.value('campaigns.generate', { id: c.id });
  await done;
  return c;
}
