import { describe, expect, it } from 'vitest';
import type { CompletionResult, ProviderId } from '../../../shared/ai';
import { useAiRig, prompt } from '../../support/ai';

const responseFormat = {
  type: 'json_schema' as const,
  name: 'answer',
  strict: true,
  schema: { type: 'object', additionalProperties: false, required: ['mood', 'tags'], properties: { mood: { type: 'string', enum: ['warm', 'cool'] }, tags: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string' } } } },
};

describe('structured output through the orchestrator', () => {
  const startRig = useAiRig();

  it.each<[ProviderId, boolean]>([
    ['azure', false],
    ['azure', true],
    ['openai', false],
    ['local', true],
  ])('%s (stream %s) sends responseFormat as response_format and gets JSON that follows it', async (provider, stream) => {
    const rig = await startRig({ enable: [provider], keys: { azure: 'azure-key-0001', openai: 'sk-openai-0001' } });
    // The default route asks local for the economy class, which it has; every provider runs the same request.
    const r = await rig.services.registry.dispatch('ai.complete', { ...prompt(), stream, responseFormat });
    const value = (r as { ok: true; value: CompletionResult }).value;
    expect(value).toMatchObject({ outcome: 'ok', provider });
    const reply = JSON.parse(value.text) as { mood: string; tags: string[] };
    expect(reply.mood).toBe('warm');
    expect(reply.tags).toHaveLength(2);
  });

  it('without responseFormat the reply is plain text, as before', async () => {
    const rig = await startRig();
    const r = await rig.services.registry.dispatch('ai.complete', prompt());
    expect((r as { ok: true; value: CompletionResult }).value.text).toMatch(/^Sandbox reply: /);
  });

  it('refuses a malformed responseFormat at the contract, naming the field', async () => {
    const rig = await startRig();
    const r = await rig.services.registry.dispatch('ai.complete', { ...prompt(), responseFormat: { ...responseFormat, name: 'has spaces' } });
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [expect.objectContaining({ path: ['responseFormat', 'name'] })] } });
    expect(rig.sandbox.requests()).toHaveLength(0);
  });
});
