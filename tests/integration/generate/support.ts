import type { CompletionRequest } from '../../../shared/ai';
import type { GenerateFan, GenerateOptions, Persona } from '../../../main/campaigns/generate';
import type { AiRig } from '../../support/ai';

export const persona: Persona = {
  creatorName: 'Luna',
  description: 'Fitness and cosplay creator from Lyon, posts daily, loves talking with fans about games and travel.',
  voice: 'Playful and warm, short sentences, one or two emoji, calls fans by their first name.',
  language: 'en',
  restrictedWords: ['paypal', 'venmo'],
  maxChars: 300,
  examples: ['Hey you 💕 new set is up, tell me which one is your favourite!'],
};

export const TEMPLATE = 'Hey {firstName|babe}, a new set just dropped, come see it!';

export function fans(n: number): GenerateFan[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `fan-${String(i + 1).padStart(4, '0')}`,
    name: `Fan${i + 1}`,
    totalSpendMicros: (i % 7) * 90_000_000,
    subscribedDays: i % 400,
    tags: i % 3 === 0 ? ['cosplay'] : ['gym', 'travel'],
  }));
}

/**
 * The real AiService, with each request's fans noted on the way through (from the batch's fan
 * lines), so a test can say which fans every request carried.
 */
export function recordingAi(rig: AiRig, all: readonly GenerateFan[]) {
  const byName = new Map(all.map((f) => [f.name, f.id]));
  const batches: string[][] = [];
  const ai: GenerateOptions['ai'] = {
    complete(request: CompletionRequest, signal?: AbortSignal) {
      const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
      const ids = user
        .split('\n')
        .map((line) => /^\d+ \| ([^|]+) \|/.exec(line)?.[1]?.trim())
        .flatMap((name) => (name && byName.has(name) ? [byName.get(name)!] : []));
      batches.push(ids);
      return rig.services.ai.complete(request, signal);
    },
  };
  return { ai, batches };
}

export const base = (rig: AiRig, list: GenerateFan[]): GenerateOptions => ({
  ai: rig.services.ai,
  campaignId: 'cmp-gen-1',
  campaignType: 'mass_message',
  operatorId: 'op-1',
  persona,
  template: TEMPLATE,
  fans: list,
});
