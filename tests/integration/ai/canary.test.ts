import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/open';
import { DB_FILE } from '../../../main/paths';
import { silentLogger } from '../../../main/ports/logger';
import { createServices } from '../../../main/services';
import { methodNames } from '../../../shared/contract';
import { type AiRig, configsFor, prompt, useAiRig } from '../../support/ai';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

describe('a canary API key', () => {
  const startRig = useAiRig();
  let rig: AiRig | undefined;

  it('never appears in the database, the logs or any IPC reply', async () => {
    const canary = `sk-canary-${randomBytes(12).toString('hex')}`;
    rig = await startRig({ keys: { azure: canary, openai: canary } });
    const replies: unknown[] = [];
    const call = async (method: string, input: unknown) => {
      const reply = await rig!.services.registry.dispatch(method, input);
      replies.push(reply);
      return reply;
    };

    await call('ai.complete', prompt());
    rig.sandbox.script('azure', [{ kind: 'unauthorized' }]);
    await call('ai.complete', { ...prompt(), stream: true });
    rig.sandbox.setStandingFault('openai', { kind: 'server_error' });
    rig.sandbox.script('azure', [{ kind: 'unauthorized' }]);
    await call('ai.complete', prompt());
    await call('providers.test', { provider: 'azure' });
    // Typed in the card: tested once with the draft, then saved with the settings in one Save.
    const draft = { ...configsFor(rig.sandbox).azure, enabled: false };
    await call('providers.test', { provider: 'azure', draft: { config: draft, apiKey: canary } });
    await call('providers.update', { provider: 'azure', config: configsFor(rig.sandbox).azure, apiKey: canary });
    await call('providers.setKey', { provider: 'local', apiKey: canary });
    // Every method, with empty input and with the canary as input, so error paths are covered too.
    for (const method of methodNames) {
      await call(method, {});
      await call(method, { provider: 'openai', apiKey: canary, config: canary });
    }
    // The key really was used: the sandbox saw authenticated requests.
    expect(rig.sandbox.requests().some((r) => r.target === 'azure' && r.authPresent)).toBe(true);

    const dataDir = rig.dataDir;
    const logs = rig.logger.lines.join('\n');
    await rig.close();
    expect(JSON.stringify(replies)).not.toContain(canary);
    expect(replies.some((r) => JSON.stringify(r).includes('keySet'))).toBe(true);
    expect(logs).not.toContain(canary);
    for (const file of filesUnder(dataDir)) {
      expect(readFileSync(file).includes(Buffer.from(canary)), file).toBe(false);
    }
  });
});

describe('a damaged secret store', () => {
  const startRig = useAiRig();

  it('shows the key as not set, keeps working, and lets the operator enter it again', async () => {
    const first = await startRig({ keys: { openai: 'sk-openai-test-0001' } });
    const dataDir = first.dataDir;
    await first.close();
    // Flip a byte of the stored ciphertext: it no longer authenticates.
    const db = openDatabase(join(dataDir, DB_FILE));
    const { ciphertext } = db.prepare<[], { ciphertext: Buffer }>("SELECT ciphertext FROM secrets WHERE name = 'provider.openai.apiKey'").get()!;
    ciphertext[ciphertext.length - 1]! ^= 0x01;
    db.prepare("UPDATE secrets SET ciphertext = ? WHERE name = 'provider.openai.apiKey'").run(ciphertext);
    db.close();

    const services = await createServices({ dataDir, host: 'web', logger: silentLogger });
    const list = (await services.registry.dispatch('providers.list', {})) as { ok: true; value: { providers: Array<{ id: string; keySet: boolean }> } };
    expect(list.value.providers.find((p) => p.id === 'openai')?.keySet).toBe(false);
    expect((await services.registry.dispatch('ai.complete', prompt())).ok).toBe(true);
    expect(await services.registry.dispatch('providers.setKey', { provider: 'openai', apiKey: 'sk-openai-test-0002' })).toEqual({ ok: true, value: { keySet: true } });
    const again = (await services.registry.dispatch('providers.list', {})) as typeof list;
    expect(again.value.providers.find((p) => p.id === 'openai')?.keySet).toBe(true);
    await services.close();
  });
});
