/**
 * The Sandbox's demo creators: three accounts on the `sandbox` transport, so a fresh Sandbox has
 * someone to send as and quick send goes through the real HTTP path to the loopback OnlyFans
 * server. Added only when the Sandbox has no account at all: an operator who removed or renamed
 * them keeps their own choice.
 */
import { accountCreateSchema } from '../../shared/accounts';
import type { Accounts } from '../messaging/accounts';

export const DEMO_CREATORS = [
  { name: 'Mia Rose', platformAccountId: 'demo.mia.rose', colour: 'rose' },
  { name: 'Luna Vale', platformAccountId: 'demo.luna.vale', colour: 'teal' },
  { name: 'Ava Stone', platformAccountId: 'demo.ava.stone', colour: 'violet' },
] as const;

/** Answers how many creators it added (0 when the Sandbox already had accounts). */
export async function seedDemoCreators(accounts: Accounts): Promise<number> {
  if ((await accounts.list()).length > 0) return 0;
  for (const c of DEMO_CREATORS) await accounts.create(accountCreateSchema.parse({ ...c, transport: 'sandbox' }));
  return DEMO_CREATORS.length;
}
