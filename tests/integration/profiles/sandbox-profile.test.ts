import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompletionResult, ProviderConfig } from '../../../shared/ai';
import type { Output } from '../../../shared/contract';
import { DB_FILE, SANDBOX_DB_FILE } from '../../../main/paths';
import { openDatabase } from '../../../main/db/open';
import { type AiRig, prompt, useAiRig } from '../../support/ai';

const call = async <T>(rig: AiRig, method: string, input: unknown): Promise<T> => {
  const r = await rig.services.registry.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
  return r.value as T;
};
const complete = (rig: AiRig) => call<CompletionResult>(rig, 'ai.complete', prompt());
const sandboxOn = (rig: AiRig, on: boolean) => call(rig, 'settings.update', { sandboxMode: on });
const rows = (rig: AiRig, file: string) => {
  const db = openDatabase(join(rig.dataDir, file));
  try {
    return {
      costs: (db.prepare('SELECT COUNT(*) AS n FROM ai_costs').get() as { n: number }).n,
      rollupMicros: (db.prepare('SELECT COALESCE(SUM(cost_micros), 0) AS m FROM cost_day_model').get() as { m: number }).m,
      outbox: (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
};

describe('Sandbox is a separate profile', () => {
  const startRig = useAiRig();

  it('keeps its spend, rollups and outbox in its own file; live spend and budget never see it', async () => {
    const rig = await startRig();
    const live = await complete(rig);
    expect(live.outcome).toBe('ok');
    const liveSpent = rig.services.ai.ledger.spent();

    await sandboxOn(rig, true);
    expect(existsSync(join(rig.dataDir, SANDBOX_DB_FILE))).toBe(true);
    for (let i = 0; i < 3; i++) expect((await complete(rig)).outcome).toBe('ok');
    await sandboxOn(rig, false);

    // The live ledger holds the one live call; the three sandbox calls are in the sandbox file only.
    expect(rig.services.ai.ledger.spent()).toEqual(liveSpent);
    expect(rows(rig, DB_FILE)).toMatchObject({ costs: 1, rollupMicros: live.costMicros });
    expect(rows(rig, SANDBOX_DB_FILE).costs).toBe(3);
    // The real provider server saw only the live call.
    expect(rig.sandbox.requests()).toHaveLength(1);
  });

  it('shows and edits its own provider settings, never the live ones', async () => {
    const rig = await startRig();
    const before = await call<Output<'providers.list'>>(rig, 'providers.list', {});
    await sandboxOn(rig, true);
    const inSandbox = await call<Output<'providers.list'>>(rig, 'providers.list', {});
    expect(inSandbox.sandboxMode).toBe(true);
    const azure = inSandbox.providers.find((p) => p.id === 'azure')!;
    expect(azure.config.deployment).not.toBe(before.providers.find((p) => p.id === 'azure')!.config.deployment);
    const edited: ProviderConfig = { ...azure.config, enabled: false };
    await call(rig, 'providers.update', { provider: 'azure', config: edited });
    // No real key can be read or written from the sandbox.
    const setKey = await rig.services.registry.dispatch('providers.setKey', { provider: 'openai', apiKey: 'sk-live-key-0002' });
    expect(setKey).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'sandbox_keys' } });

    await sandboxOn(rig, false);
    expect(await call<Output<'providers.list'>>(rig, 'providers.list', {})).toEqual(before);
    // Switching back finds the sandbox as it was left: nothing lost in either profile.
    await sandboxOn(rig, true);
    const again = await call<Output<'providers.list'>>(rig, 'providers.list', {});
    expect(again.providers.find((p) => p.id === 'azure')!.config.enabled).toBe(false);
  });

  it('keeps its own breakers and metrics: sandbox failures leave live circuits closed', async () => {
    const rig = await startRig({ breaker: { threshold: 2, halfOpenAfterMs: 60_000 } });
    await sandboxOn(rig, true);
    await call(rig, 'sandbox.setFault', { target: 'azure', fault: 'server_error' });
    await complete(rig);
    await complete(rig);
    const health = await call<Output<'health.get'>>(rig, 'health.get', {});
    expect(health.providers.find((p) => p.provider === 'azure')!.circuit).toBe('open');
    expect(health.db.path).toBe(join(rig.dataDir, SANDBOX_DB_FILE));

    await sandboxOn(rig, false);
    const liveHealth = await call<Output<'health.get'>>(rig, 'health.get', {});
    expect(liveHealth.providers.find((p) => p.provider === 'azure')).toMatchObject({ circuit: 'closed', lastError: null });
    expect(liveHealth.db.path).toBe(join(rig.dataDir, DB_FILE));
    const metrics = await call<Output<'metrics.orchestrator'>>(rig, 'metrics.orchestrator', {});
    expect(metrics.providers.every((p) => p.requests === 0 && p.errors === 0)).toBe(true);
    expect((await complete(rig)).provider).toBe('azure');
  });
});
