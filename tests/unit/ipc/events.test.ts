import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/ipc/events';
import { recordingLogger } from '../../support/ai';

describe('the event bus', () => {
  it('logs a throwing listener and still reaches the others, without throwing into the emitter', () => {
    const logger = recordingLogger();
    const bus = new EventBus(logger);
    const heard: string[] = [];
    bus.subscribe((event) => void heard.push(`first ${event}`));
    bus.subscribe(() => {
      throw new Error('socket gone');
    });
    bus.subscribe((event) => void heard.push(`last ${event}`));

    expect(() => bus.emit('alerts.changed', { id: null })).not.toThrow();
    expect(heard).toEqual(['first alerts.changed', 'last alerts.changed']);
    expect(logger.lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: 'error', msg: 'events: a listener failed', event: 'alerts.changed', error: 'socket gone' },
    ]);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const bus = new EventBus();
    const heard: string[] = [];
    const off = bus.subscribe((event) => void heard.push(event));
    bus.emit('budgets.changed', { thresholds: [] });
    off();
    bus.emit('budgets.changed', { thresholds: [] });
    expect(heard).toEqual(['budgets.changed']);
  });
});
