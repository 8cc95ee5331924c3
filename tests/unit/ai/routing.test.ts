import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING } from '../../../main/ai/config';
import { redactKeys, retryAfterMs } from '../../../main/ai/openai-compatible/errors';
import { budgetState, capSteps, routeFor, skipForBudget } from '../../../main/ai/routing';
import type { RoutingPolicy } from '../../../shared/ai';

const policy: RoutingPolicy = {
  ...DEFAULT_ROUTING,
  routes: {
    'ppv_offer:copy': [{ provider: 'openai', modelClass: 'premium' }],
    '*:reply': [{ provider: 'local', modelClass: 'economy' }],
    'welcome:*': [{ provider: 'azure', modelClass: 'standard' }],
    '*:*': DEFAULT_ROUTING.routes['*:*']!,
  },
};

describe('routing is data', () => {
  it('picks the most specific route', () => {
    expect(routeFor(policy, { campaignType: 'ppv_offer', purpose: 'copy' })[0]!.provider).toBe('openai');
    expect(routeFor(policy, { campaignType: 'ppv_offer', purpose: 'reply' })[0]!.provider).toBe('local');
    expect(routeFor(policy, { campaignType: 'welcome', purpose: 'copy' })[0]).toEqual({ provider: 'azure', modelClass: 'standard' });
    expect(routeFor(policy, { purpose: 'analysis' }).map((s) => s.provider)).toEqual(['azure', 'openai', 'local']);
  });

  it('treats the requested model class as a ceiling', () => {
    expect(capSteps(DEFAULT_ROUTING.routes['*:*']!, 'standard').map((s) => s.modelClass)).toEqual(['standard', 'standard', 'economy']);
    expect(capSteps(DEFAULT_ROUTING.routes['*:*']!, 'premium').map((s) => s.modelClass)).toEqual(['premium', 'standard', 'economy']);
  });

  it('computes the budget state from spend, projection and limits', () => {
    const threshold = { amountMicros: 1000, levels: [50, 75, 100] };
    expect(budgetState(0, 100, threshold)).toBe('ok');
    // The highest alert level below 100 % is where the warning starts.
    expect(budgetState(700, 50, threshold)).toBe('warning');
    expect(budgetState(700, 49, threshold)).toBe('ok');
    expect(budgetState(999, 1, threshold)).toBe('warning');
    expect(budgetState(999, 2, threshold)).toBe('exceeded');
    expect(budgetState(0, 800, { amountMicros: 1000, levels: [100] })).toBe('warning');
    expect(budgetState(0, 799, { amountMicros: 1000, levels: [100] })).toBe('ok');
    expect(skipForBudget({ provider: 'azure', modelClass: 'premium', skipWhenBudget: 'warning' }, 'warning')).toBe(true);
    expect(skipForBudget({ provider: 'azure', modelClass: 'premium', skipWhenBudget: 'exceeded' }, 'warning')).toBe(false);
    expect(skipForBudget({ provider: 'azure', modelClass: 'premium' }, 'exceeded')).toBe(false);
  });

  it('reads retry-after-ms first, then retry-after as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(now + 5000).toUTCString() }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(new Headers(), now)).toBeNull();
  });
});

describe('provider messages', () => {
  it('never carry a key that a provider quoted back', () => {
    expect(redactKeys('Incorrect API key provided: sk-proj-abcd1234efgh. You can find…')).toBe('Incorrect API key provided: [redacted key]. You can find…');
    expect(redactKeys('Incorrect API key provided: sk-abc***wxyz.')).toBe('Incorrect API key provided: [redacted key].');
    expect(redactKeys('key 0123456789abcdef0123456789ABCDEF rejected')).toBe('key [redacted key] rejected');
    expect(redactKeys('Rate limit reached for gpt-4o in organization org-1 on tokens per min')).toBe('Rate limit reached for gpt-4o in organization org-1 on tokens per min');
  });
});
