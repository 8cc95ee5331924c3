import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/ipc/events';
import { SendEvents } from '../../../main/messaging/events';
import type { SendProgress } from '../../../shared/sending';

const step = (id: string, state: SendProgress['state']): SendProgress => ({ id, accountId: 'a1', jobId: 'quick', state, reason: null });

describe('SendEvents', () => {
  it('sends the first batch at once and merges a burst into one trailing event holding each send’s latest step', async () => {
    const bus = new EventBus();
    const seen: Array<{ name: string; payload: unknown }> = [];
    let trailing!: () => void;
    const gotTrailing = new Promise<void>((resolve) => (trailing = resolve));
    bus.subscribe((name, payload) => {
      seen.push({ name, payload });
      if (name === 'sends.progress' && seen.filter((e) => e.name === 'sends.progress').length === 2) trailing();
    });
    const events = new SendEvents(bus, 10);
    events.progress([step('s1', 'queued')]);
    events.progress([step('s1', 'sending'), step('s2', 'queued')]);
    events.progress([step('s1', 'sent')]);
    events.queueChanged({ accountId: 'a1', jobId: null });
    await gotTrailing;
    events.close();
    expect(seen).toEqual([
      { name: 'sends.progress', payload: { sends: [step('s1', 'queued')] } },
      { name: 'queue.changed', payload: { accountId: 'a1', jobId: null } },
      { name: 'sends.progress', payload: { sends: [step('s2', 'queued'), step('s1', 'sent')] } },
    ]);
  });
});
