import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Account } from '../../shared/accounts';
import type { Campaign, CampaignStatus } from '../../shared/campaigns';
import type { Input, MethodName, Output } from '../../shared/contract';
import { hostCall } from './host-call';

/** A contract call on the host that must succeed: a refusal throws with its code. */
export async function must<M extends MethodName>(hostUrl: string, method: M, input: Input<M>): Promise<Output<M>> {
  const r = await hostCall(hostUrl, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${JSON.stringify(r.error.issues ?? r.error.params ?? {})}`);
  return r.value;
}

export const fanId = (i: number) => `fan-${String(i).padStart(5, '0')}`;

export interface CampaignFixture {
  account: Account;
  campaign: Campaign;
  /** The fans, by fan id: `fanId(0)`…`fanId(n - 1)`. */
  fans: number;
}

/**
 * Sandbox mode on, `fans` fans imported from a CSV (tagged, so the audience is exactly them) onto
 * the first demo creator at the given pace, and a template-mode draft campaign to them.
 */
export async function campaignFixture(hostUrl: string, dir: string, fans: number, limits: { perMinute: number; minSpacingSeconds: number; burst: number }, name = 'Spring offer'): Promise<CampaignFixture> {
  await must(hostUrl, 'settings.update', { sandboxMode: true });
  const [first] = await must(hostUrl, 'accounts.list', {});
  const account = await must(hostUrl, 'accounts.update', { id: first!.id, name: first!.name, platformAccountId: first!.platformAccountId, transport: first!.transport, limits });
  const lines = ['fan_id,name,display_name,tags'];
  for (let i = 0; i < fans; i++) lines.push(`${fanId(i)},user${i},Fan ${i},e2e`);
  const path = join(dir, `fans-${fans}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  const imported = await must(hostUrl, 'audiences.import', { accountId: account.id, path, mode: 'all_or_nothing' });
  if (imported.errorCount > 0) throw new Error(`import: ${imported.errorCount} bad rows`);
  const campaign = await must(hostUrl, 'campaigns.create', {
    name,
    accountId: account.id,
    audience: { all: [{ kind: 'has_tag', tag: 'e2e' }], any: [] },
    template: 'Hi {name|there}, something new for you',
    personalization: 'template',
  });
  return { account, campaign, fans };
}

/**
 * Generates through the contract and resolves once every fan has its message. Polled (every
 * 100 ms, like expect.poll) since generation runs in the background; usable outside vitest (the bench).
 */
export async function generated(hostUrl: string, id: string, fans: number, timeoutMs = 120_000): Promise<CampaignStatus> {
  await must(hostUrl, 'campaigns.generate', { id });
  for (let tries = Math.ceil(timeoutMs / 100); ; tries--) {
    const status = await must(hostUrl, 'campaigns.status', { id });
    if (status.total === fans && status.counts.pending === 0) return status;
    if (tries <= 0) throw new Error(`generation of ${id} did not finish: ${JSON.stringify(status.counts)}`);
    await delay(100);
  }
}
