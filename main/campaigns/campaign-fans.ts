/**
 * What a campaign's generation reads from the profile: its audience's fans in the shapes the
 * template and the generator take, and the account's persona as the prompt prefix wants it.
 * Preview and generate both build from here, so the estimate prices the prompt that will be sent.
 */
import type { Fan } from '../../shared/audiences';
import type { Campaign } from '../../shared/campaigns';
import { DEFAULT_RESTRICTED_WORDS } from '../../shared/restricted';
import { AppError } from '../../shared/result';
import { MAX_SEND_TEXT } from '../../shared/sending';
import type { TemplateFan } from '../../shared/template';
import type { Db } from '../db/open';
import type { GenerateFan, Persona } from './generate-prompt';
import type { Personas } from './personas';

const DAY_MS = 86_400_000;
/** A chat message, not a letter: the generator's per-item check refuses longer AI text. */
export const PERSONALIZED_MAX_CHARS = Math.min(500, MAX_SEND_TEXT);

const subscribedDays = (fan: Fan, now: number): number | null => (fan.subscribedAt === null ? null : Math.max(0, Math.floor((now - fan.subscribedAt) / DAY_MS)));

export function templateFan(fan: Fan, now: number, creatorName: string): TemplateFan {
  return { name: fan.name, displayName: fan.displayName, totalSpendMicros: fan.totalSpendMicros, subscribedDays: subscribedDays(fan, now), creatorName };
}

export function generateFan(fan: Fan, now: number): GenerateFan {
  return { id: fan.fanId, name: fan.name ?? fan.displayName ?? '', displayName: fan.displayName, totalSpendMicros: fan.totalSpendMicros, subscribedDays: subscribedDays(fan, now), tags: fan.tags };
}

export function restrictedWords(db: Db): string[] {
  return [...DEFAULT_RESTRICTED_WORDS, ...db.prepare<[], string>('SELECT word FROM restricted_words').pluck().all()];
}

/** The campaign's account and audience, required from here on (the store checked them at `ready`; a draft previews too). */
export function target(c: Campaign): { accountId: string; audience: NonNullable<Campaign['audience']> } {
  if (c.accountId === null || c.audience === null) {
    throw new AppError('invalid_input', 'campaign_incomplete', { id: c.id }, [
      ...(c.accountId === null ? [{ path: ['accountId'], code: 'custom' as const, params: { rule: 'required' } }] : []),
      ...(c.audience === null ? [{ path: ['audience'], code: 'custom' as const, params: { rule: 'required' } }] : []),
    ]);
  }
  return { accountId: c.accountId, audience: c.audience };
}

export function personaFor(db: Db, personas: Personas, accountId: string): Persona {
  const p = personas.get(accountId);
  const name = db.prepare<[string], string>('SELECT name FROM accounts WHERE id = ?').pluck().get(accountId) ?? '';
  return { creatorName: name, description: p.persona, voice: p.voice, language: 'en', restrictedWords: restrictedWords(db), maxChars: PERSONALIZED_MAX_CHARS };
}
