import { describe, expect, it } from 'vitest';
import { completionRequestSchema, routingPolicySchema } from '../../shared/ai';
import { methods } from '../../shared/contract';
import { MAX_FRAME_BYTES, MAX_PROMPT_CHARS, MAX_ROUTE_KEY_CHARS, MAX_ROUTES, MAX_SCHEMA_CHARS } from '../../shared/limits';
import { largestCompletionRequest, largestRoutingPolicy, requestFrame } from '../support/wire-limits';

const bytes = (text: string) => Buffer.byteLength(text);

describe('request size limits: the contract and the browser host frame agree', () => {
  it('the largest valid ai.complete, in the costliest characters, fits one frame', () => {
    const input = largestCompletionRequest();
    expect(methods['ai.complete'].input.safeParse(input).success).toBe(true);
    expect(input.messages.reduce((n, m) => n + m.content.length, 0)).toBe(MAX_PROMPT_CHARS);
    expect(bytes(requestFrame('ai.complete', input))).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it('a response schema one character over its limit is refused, naming the rule', () => {
    const input = largestCompletionRequest();
    const format = input.responseFormat!;
    input.responseFormat = { ...format, schema: { d: `${String(format.schema.d)}a` } };
    const parsed = completionRequestSchema.safeParse(input);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['responseFormat', 'schema'], code: 'custom', params: { rule: 'max_schema_chars', maximum: MAX_SCHEMA_CHARS } }),
    ]);
  });

  it('one character more is refused by the contract, naming the total', () => {
    const input = largestCompletionRequest();
    input.messages[0]!.content += 'a';
    const parsed = completionRequestSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['messages'], code: 'custom', params: { rule: 'max_prompt_chars', maximum: MAX_PROMPT_CHARS } }),
    ]);
  });

  it('the largest valid routing policy fits one frame; more routes or longer keys are refused', () => {
    const policy = largestRoutingPolicy();
    expect(Object.keys(policy.routes)).toHaveLength(MAX_ROUTES);
    expect(methods['routing.set'].input.safeParse(policy).success).toBe(true);
    expect(bytes(requestFrame('routing.set', policy))).toBeLessThanOrEqual(MAX_FRAME_BYTES);

    const steps = Object.values(policy.routes)[0]!;
    const tooMany = routingPolicySchema.safeParse({ ...policy, routes: { ...policy.routes, 'zz:zz': steps } });
    expect(tooMany.error?.issues).toEqual([expect.objectContaining({ path: ['routes'], code: 'custom', params: { rule: 'max_routes', maximum: MAX_ROUTES } })]);
    const longKey = routingPolicySchema.safeParse({ ...policy, routes: { ['a:'.padEnd(MAX_ROUTE_KEY_CHARS + 1, 'b')]: steps } });
    expect(longKey.success).toBe(false);
    expect(routingPolicySchema.safeParse({ ...policy, routes: { ['a:'.padEnd(MAX_ROUTE_KEY_CHARS, 'b')]: steps } }).success).toBe(true);
  });
});
