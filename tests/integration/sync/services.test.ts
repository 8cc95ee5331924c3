import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CostRow } from '../../../main/ledger/ledger';
import type { SyncStatus } from '../../../shared/contract/sync';
import { DEFAULT_TEAM_AWS_SETTINGS } from '../../../shared/aws';
import { useDynalite } from '../../support/dynalite';
import { useServicesStack } from '../../support/services-stack';
import { createCostsTable, ledgerRows, scanAll } from '../../support/sync';

const row = (costMicros: number): CostRow => ({
  id: randomUUID(), requestId: randomUUID(), attempt: 1, ts: Date.now(), provider: 'openai', deployment: 'dep', baseModel: 'gpt-4.1',
  purpose: 'reply', campaignId: null, operatorId: null, usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 },
  costMicros, latencyMs: 3, status: 'ok', priceSource: 'table',
});

describe('team sync in the composed services', () => {
  const startDynalite = useDynalite();
  const openStack = useServicesStack();

  it('syncs the live ledger on sync.now and announces it; the Sandbox profile’s rows never reach DynamoDB', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint);
    const stack = await openStack();
    await stack.value('aws.setSettings', { ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', endpoint });
    expect(await stack.value<SyncStatus>('sync.status', {})).toMatchObject({ state: 'idle', backlogRows: 0, lastSyncAt: null });
    await stack.value('alerts.setSecret', { secret: 'aws', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });

    const live = [row(1_500), row(2_250)];
    for (const r of live) await stack.services.ai.ledger.record(r);
    await stack.value('settings.update', { sandboxMode: true });
    const sandboxRow = row(9_999_999);
    await stack.services.ai.ledger.record(sandboxRow);
    expect(await stack.call('sync.status', {})).toMatchObject({ ok: true });

    const changes = stack.capture<SyncStatus>('sync.changed');
    await stack.value('sync.now', {});
    await stack.until(() => changes.some((s) => s.backlogRows === 0 && s.syncedRows === 2));

    const items = await scanAll(endpoint);
    const rowIds = ledgerRows(items).map((r) => r.id);
    expect(rowIds.sort()).toEqual(live.map((r) => r.id).sort());
    expect(items.filter((i) => String(i.pk).startsWith('AGG#month#')).reduce((s, i) => s + Number(i.costMicros), 0)).toBe(3_750);
    // The Sandbox's announcement is still in its own outbox: nothing there consumes it.
    expect(stack.services.outbox.status().find((t) => t.topic === 'ai_cost')).toMatchObject({ pending: 0 });
    expect(stack.services.profile.outbox.status().find((t) => t.topic === 'ai_cost')).toMatchObject({ pending: 1 });
  });
});
