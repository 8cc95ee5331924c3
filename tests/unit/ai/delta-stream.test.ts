import { describe, expect, it } from 'vitest';
import { deltaStream, MAX_STREAMED_CHARS } from '../../../main/ai/delta-stream';
import { EventBus } from '../../../main/ipc/events';

describe('ai.delta coalescing', () => {
  const listen = () => {
    const bus = new EventBus();
    const heard: Array<{ attempt: number; text: string; streamId: string }> = [];
    bus.subscribe((name, payload) => name === 'ai.delta' && heard.push(payload as (typeof heard)[number]));
    return { bus, heard };
  };

  it('holds pieces together until flushed, then sends them as one event', () => {
    const { bus, heard } = listen();
    const s = deltaStream(bus, 'stream-0001');
    for (const piece of ['Hel', 'lo', ' there']) s.push(1, piece);
    expect(heard).toEqual([]);
    s.close();
    expect(heard).toEqual([{ streamId: 'stream-0001', attempt: 1, text: 'Hello there' }]);
    s.close();
    expect(heard).toHaveLength(1);
  });

  it('sends the old attempt’s text before a new attempt starts over', () => {
    const { bus, heard } = listen();
    const s = deltaStream(bus, 'stream-0002');
    s.push(1, 'cut ');
    s.push(2, 'whole reply');
    s.close();
    expect(heard.map((d) => [d.attempt, d.text])).toEqual([[1, 'cut '], [2, 'whole reply']]);
  });

  it('streams at most MAX_STREAMED_CHARS per attempt; the rest comes with the result', () => {
    const { bus, heard } = listen();
    const s = deltaStream(bus, 'stream-0003');
    const piece = 'x'.repeat(1000);
    for (let i = 0; i < 40; i++) s.push(1, piece);
    s.close();
    expect(heard.reduce((n, d) => n + d.text.length, 0)).toBe(MAX_STREAMED_CHARS);
    s.push(2, 'again');
    s.close();
    expect(heard.at(-1)).toEqual({ streamId: 'stream-0003', attempt: 2, text: 'again' });
  });
});
