/**
 * A campaign's generation, in the background: `generate` moves it to ready and returns at once;
 * the run fills the recipients from the audience (idempotent: a fan already there stays as it
 * is), writes a message for every pending fan (the template alone, or AI through the orchestrator
 * with the template standing in for fans AI cannot serve), and guards every text against the
 * restricted words. A run stops when its campaign is cancelled or its profile closes; fans left
 * pending are picked up by the next `generate`.
 */
import type { CompletionRequest, CompletionResult } from '../../shared/ai';
import type { Fan } from '../../shared/audiences';
import type { Campaign } from '../../shared/campaigns';
import { checkText } from '../../shared/restricted';
import { renderTemplate } from '../../shared/template';
import type { Audiences } from '../audiences';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { generateFan, personaFor, restrictedWords, target, templateFan } from './campaign-fans';
import { type FallbackReason, generateMessages } from './generate';
import type { Personas } from './personas';
import type { GeneratedMessage, Recipients } from './recipients';
import { stateError, type CampaignStore } from './store';

/** Fans read from the audience per page, so a 50 000-fan audience is never one statement. */
const PAGE = 1_000;

export interface GenerationProgress {
  id: string;
  phase: 'generate';
  done: number;
  total: number;
  /** Fans whose message the template wrote although AI was asked. */
  fromTemplate: number;
  /** Why AI stopped serving this run, if it did. */
  fallback: FallbackReason | null;
  finished: boolean;
}

export interface RunnerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  store: CampaignStore;
  recipients: Recipients;
  audiences: Audiences;
  personas: Personas;
  ai: () => { complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> };
  operatorId: () => string;
  onProgress: (p: GenerationProgress) => void;
}

export class CampaignRunner {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private closed = false;

  constructor(private readonly deps: RunnerDeps) {}

  /** draft or ready → ready, and generation starts (or keeps running) in the background. */
  generate(id: string): Campaign {
    let c = this.deps.store.get(id);
    if (c.state === 'draft') c = this.deps.store.transition(id, 'ready');
    else if (c.state !== 'ready') throw stateError(id, c.state, 'ready');
    if (!this.running.has(id) && !this.closed) {
      const abort = new AbortController();
      const done = this.run(c, abort.signal)
        .catch((e: unknown) => this.deps.logger.error('campaigns: generation failed', { id, error: e instanceof Error ? e.message : String(e) }))
        .finally(() => this.running.delete(id));
      this.running.set(id, { abort, done });
    }
    return c;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Stops the campaign's generation, if running; resolves when it has stopped writing. */
  async stop(id: string): Promise<void> {
    const r = this.running.get(id);
    r?.abort.abort();
    await r?.done;
  }

  /** Resolves when the campaign's current run (if any) has finished. */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  /** The profile is closing: every run stops, none starts. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort();
    await Promise.all(all.map((r) => r.done));
  }

  private fill(c: Campaign): Map<string, Fan> {
    const { accountId, audience } = target(c);
    const fans = new Map<string, Fan>();
    let cursor: string | undefined;
    do {
      const page = this.deps.audiences.list(accountId, audience, { limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
      this.deps.recipients.add(c.id, page.fans.map((f) => f.fanId));
      for (const f of page.fans) fans.set(f.fanId, f);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    this.deps.recipients.keepOnly(c.id, new Set(fans.keys()));
    return fans;
  }

  private async run(c: Campaign, signal: AbortSignal): Promise<void> {
    const { db, clock, recipients } = this.deps;
    const { accountId } = target(c);
    const audience = this.fill(c);
    const pending = recipients.pendingFanIds(c.id).flatMap((id) => audience.get(id) ?? []);
    const persona = personaFor(db, this.deps.personas, accountId);
    const words = restrictedWords(db);
    const now = clock.now();
    const total = pending.length;
    let done = 0;
    let fromTemplate = 0;
    let fallback: FallbackReason | null = null;
    const emit = (finished: boolean) => this.deps.onProgress({ id: c.id, phase: 'generate', done, total, fromTemplate, fallback, finished });

    // Stored as they come, guarded one by one: a crash or a cancel keeps every message already written.
    const store = (messages: readonly GeneratedMessage[]) => {
      // The profile closed under the run (its AI service cancelled the requests): nothing to write to.
      if (!db.open) return;
      const ok: GeneratedMessage[] = [];
      db.transaction(() => {
        for (const m of messages) {
          const check = checkText(m.text, words);
          if (check.ok) ok.push(m);
          else recipients.blocked(c.id, m.fanId, check.word, m.text);
        }
        recipients.generated(c.id, ok);
      })();
    };

    emit(false);
    if (c.personalization === 'template') {
      for (let i = 0; i < pending.length && !signal.aborted; i += PAGE) {
        const slice = pending.slice(i, i + PAGE);
        store(slice.map((f) => ({ fanId: f.fanId, text: renderTemplate(c.template, templateFan(f, now, persona.creatorName)), source: 'template' as const })));
        done += slice.length;
        emit(false);
      }
    } else {
      const result = await generateMessages({
        ai: this.deps.ai(),
        campaignId: c.id,
        campaignType: c.type,
        operatorId: this.deps.operatorId(),
        persona,
        template: c.template,
        fans: pending.map((f) => generateFan(f, now)),
        variants: c.personalization === 'ai_variants' ? c.variants : 1,
        signal,
        onProgress: (p) => {
          done = p.done;
          fromTemplate = p.fromTemplate;
          emit(false);
        },
      });
      store(result.messages.map((m) => ({ fanId: m.fanId, text: m.text, source: m.source, variant: m.variant, reason: m.fallbackReason === null ? null : `ai_${m.fallbackReason}` })));
      fallback = result.fallback;
      if (fallback) this.deps.logger.warn('campaigns: AI fell back to the template', { id: c.id, reason: fallback, fans: result.messages.filter((m) => m.source === 'template').length });
    }
    emit(true);
  }
}
