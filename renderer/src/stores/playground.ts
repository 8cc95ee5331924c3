import { create } from 'zustand';
import {
  type CompletionRequest,
  completionRequestSchema,
  type CompletionResult,
  type ModelClass,
  type Purpose,
} from '../../../shared/ai';
import { type AppErrorData, issuesOf } from '../../../shared/result';
import { api } from '../api/client';

export interface PlaygroundDraft {
  prompt: string;
  system: string;
  purpose: Purpose;
  modelClass: ModelClass;
  maxOutputTokens: string;
  stream: boolean;
}

interface PlaygroundState {
  draft: PlaygroundDraft;
  running: boolean;
  result: CompletionResult | undefined;
  /** The call itself failed (bad input, host unreachable); a refused or failed completion is a result. */
  error: AppErrorData | undefined;
  /** A streamed reply as it arrives, for the attempt now streaming; cleared when the result comes. */
  live: { attempt: number; text: string } | undefined;
  edit(patch: Partial<PlaygroundDraft>): void;
  send(): Promise<void>;
}

export function toRequest(draft: PlaygroundDraft): CompletionRequest {
  const messages: CompletionRequest['messages'] = [];
  if (draft.system.trim()) messages.push({ role: 'system', content: draft.system });
  messages.push({ role: 'user', content: draft.prompt });
  return {
    purpose: draft.purpose,
    modelClass: draft.modelClass,
    maxOutputTokens: Number(draft.maxOutputTokens),
    stream: draft.stream,
    messages,
  };
}

/** Kept across page changes: the operator can look at Health and come back to the same result. */
export const usePlayground = create<PlaygroundState>((set, get) => ({
  draft: { prompt: '', system: '', purpose: 'copy', modelClass: 'premium', maxOutputTokens: '256', stream: false },
  running: false,
  result: undefined,
  error: undefined,
  live: undefined,
  edit(patch) {
    set((s) => ({ draft: { ...s.draft, ...patch } }));
  },
  async send() {
    if (get().running) return;
    const request = toRequest(get().draft);
    const checked = completionRequestSchema.safeParse(request);
    if (!checked.success) {
      set({ error: { kind: 'invalid_input', code: 'invalid_input', params: { method: 'ai.complete' }, issues: issuesOf(checked.error) } });
      return;
    }
    set({ running: true, error: undefined, result: undefined, live: undefined });
    const streamId = checked.data.stream ? crypto.randomUUID() : undefined;
    // Every window hears every stream: only this request's pieces are ours.
    const off = streamId
      ? api.on('ai.delta', (d) => {
          if (d.streamId !== streamId) return;
          const live = get().live;
          set({ live: live?.attempt === d.attempt ? { attempt: d.attempt, text: live.text + d.text } : { attempt: d.attempt, text: d.text } });
        })
      : undefined;
    try {
      const result = await api.call('ai.complete', { ...checked.data, streamId });
      set(result.ok ? { running: false, live: undefined, result: result.value } : { running: false, live: undefined, error: result.error });
    } finally {
      off?.();
    }
  },
}));
