/**
 * A campaign's generation, in the background: `generate` moves it to ready and returns at once;
 * the run fills the recipients from the audience (idempotent: a fan already there stays as it
 * is), writes a message for every pending fan (the template alone, or AI through the orchestrator
 * with the template standing in for fans AI cannot serve), and guards every text against the
 * restricted words. A run stops when its campaign is cancelled or its profile closes; fans left
 * pending are picked up by the next `generate`, or by `resumePending` when the profile opens again.
 *
 * When no AI provider answers, the run keeps what it wrote and waits for the network: it probes
 * again (the next batch is the probe) after a capped, growing wait, and goes on where it stopped,
 * so no fan is written twice and no request is paid twice. After `maxWaitMs` of waiting, or when
 * the operator says so (`useTemplate`), the template writes the rest, flagged `ai_unreachable`.
 * An exhausted budget does not come back by itself, so it falls back to the template at once.
 */
import type { CompletionRequest, CompletionResult } from '../../shared/ai';
import type { Fan } from '../../shared/audiences';
import type { Campaign } from '../../shared/campaigns';
import { checkText } from '../../shared/restricted';
import { renderTemplate } from '../../shared/template';
import type { Audiences } from '../audiences';
import type { LimiterTimers } from '../limits';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { generateFan, personaFor, restrictedWords, target, templateFan } from './campaign-fans';
import { type FallbackReason, generateMessages, variantOf } from './generate';
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
  /** No AI provider answers: the run waits and probes again at `retryAt` (wall ms). */
  waitingForAi: boolean;
  retryAt: number | null;
}

/** How long a run waits for an unreachable AI provider: waits double from `baseMs` up to `maxMs`, `maxWaitMs` in all. */
export interface AiWait {
  baseMs: number;
  maxMs: number;
  maxWaitMs: number;
}
export const DEFAULT_AI_WAIT: AiWait = { baseMs: 15_000, maxMs: 120_000, maxWaitMs: 15 * 60_000 };

/** The app's timers do not keep a closing process alive; tests pass timers they fire by hand. */
const realTimers: LimiterTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface GenerationState {
  running: boolean;
  waitingForAi: boolean;
  retryAt: number | null;
}

interface Waiting {
  retryAt: number;
  wake: () => void;
}

interface Run {
  abort: AbortController;
  done: Promise<void>;
  waiting: Waiting | null;
  /** The operator asked for the template rather than waiting for AI. */
  useTemplate: boolean;
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
  aiWait?: Partial<AiWait>;
  timers?: LimiterTimers;
}

export class CampaignRunner {
  private readonly running = new Map<string, Run>();
  private closed = false;
  private readonly wait: AiWait;
  private readonly timers: LimiterTimers;

  constructor(private readonly deps: RunnerDeps) {
    this.wait = { ...DEFAULT_AI_WAIT, ...deps.aiWait };
    this.timers = deps.timers ?? realTimers;
  }

  /** draft or ready → ready, and generation starts (or keeps running) in the background. */
  generate(id: string): Campaign {
    let c = this.deps.store.get(id);
    if (c.state === 'draft') c = this.deps.store.transition(id, 'ready');
    else if (c.state !== 'ready') throw stateError(id, c.state, 'ready');
    // Asked again while waiting for AI: the operator thinks it is back, so try now rather than at retryAt.
    this.running.get(id)?.waiting?.wake();
    this.start(c, false);
    return c;
  }

  /**
   * The operator would rather not wait for AI: a run waiting for it hands the rest to the
   * template now (requests already in flight finish first); a ready campaign with fans left
   * pending gets them written by the template.
   */
  useTemplate(id: string): Campaign {
    const c = this.deps.store.get(id);
    if (c.state !== 'ready') throw stateError(id, c.state, 'ready');
    const r = this.running.get(id);
    if (r) {
      r.useTemplate = true;
      r.waiting?.wake();
    } else if (this.deps.recipients.pendingFanIds(id).length > 0) this.start(c, true);
    return c;
  }

  /** The profile opened: ready campaigns with fans still pending (a run cut by a restart) go on by themselves. */
  resumePending(): string[] {
    const ids = this.deps.recipients.readyWithPending();
    for (const id of ids) {
      try {
        this.generate(id);
      } catch (e) {
        this.deps.logger.warn('campaigns: could not resume generation', { id, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return ids;
  }

  /** False once closed or once its profile's file is: nothing more will run here. */
  get open(): boolean {
    return !this.closed && this.deps.db.open;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  generation(id: string): GenerationState {
    const r = this.running.get(id);
    return { running: r !== undefined, waitingForAi: r?.waiting != null, retryAt: r?.waiting?.retryAt ?? null };
  }

  private start(c: Campaign, useTemplate: boolean): void {
    if (this.running.has(c.id) || this.closed) return;
    const r: Run = { abort: new AbortController(), done: Promise.resolve(), waiting: null, useTemplate };
    this.running.set(c.id, r);
    r.done = this.run(c, r)
      .catch((e: unknown) => this.deps.logger.error('campaigns: generation failed', { id: c.id, error: e instanceof Error ? e.message : String(e) }))
      .finally(() => this.release(c.id, r));
  }

  private release(id: string, r: Run): void {
    if (this.running.get(id) === r) this.running.delete(id);
  }

  /** Resolves true after `ms`, or false at once when the run is woken (useTemplate, try again now) or stopped. */
  private sleep(r: Run, ms: number): Promise<boolean> {
    // Stopped or told not to wait while the last round was out: an abort already fired never fires again.
    if (r.abort.signal.aborted || r.useTemplate) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (full: boolean) => {
        this.timers.clearTimeout(timer);
        r.abort.signal.removeEventListener('abort', woken);
        r.waiting = null;
        resolve(full);
      };
      const woken = () => finish(false);
      r.waiting = { retryAt: this.deps.clock.now() + ms, wake: woken };
      const timer = this.timers.setTimeout(() => finish(true), ms);
      r.abort.signal.addEventListener('abort', woken, { once: true });
    });
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

  private async run(c: Campaign, r: Run): Promise<void> {
    const { db, clock, recipients } = this.deps;
    const signal = r.abort.signal;
    const { accountId } = target(c);
    const audience = this.fill(c);
    // Re-read each round: a fan written in an earlier round is no longer pending, so none is written twice.
    const pendingFans = () => recipients.pendingFanIds(c.id).flatMap((id) => audience.get(id) ?? []);
    const persona = personaFor(db, this.deps.personas, accountId);
    const words = restrictedWords(db);
    const now = clock.now();
    const variants = c.personalization === 'ai_variants' ? c.variants : 1;
    let pending = pendingFans();
    const total = pending.length;
    let done = 0;
    let fromTemplate = 0;
    let fallback: FallbackReason | null = null;
    const emit = (finished: boolean) =>
      this.deps.onProgress({ id: c.id, phase: 'generate', done, total, fromTemplate, fallback, finished, waitingForAi: r.waiting !== null, retryAt: r.waiting?.retryAt ?? null });

    const store = (messages: readonly GeneratedMessage[]) => {
      // The profile closed under the run (its AI service cancelled the requests): nothing to write to.
      if (!db.open) return;
      const ok: GeneratedMessage[] = [];
      db.transaction(() => {
        for (const m of messages) {
          const check = checkText(m.text, words);
          if (check.ok) ok.push(m);
          else recipients.blocked(c.id, m.fanId, check.word, m.text, { source: m.source, variant: m.variant ?? null });
        }
        recipients.generated(c.id, ok);
      })();
    };
    const fromTemplateFor = (fans: readonly Fan[], reason: string | null) =>
      fans.map((f) => ({
        fanId: f.fanId,
        text: renderTemplate(c.template, templateFan(f, now, persona.creatorName)),
        source: 'template' as const,
        ...(reason === null ? {} : { variant: variantOf(c.id, f.fanId, variants), reason }),
      }));
    const templateRest = (reason: string | null) => {
      for (let i = 0; i < pending.length && !signal.aborted; i += PAGE) {
        const slice = pending.slice(i, i + PAGE);
        store(fromTemplateFor(slice, reason));
        done += slice.length;
        if (reason !== null) fromTemplate += slice.length;
        emit(false);
      }
    };

    emit(false);
    if (c.personalization === 'template') templateRest(null);
    else {
      let waited = 0;
      for (let round = 0; pending.length > 0 && !signal.aborted && db.open; round++) {
        if (r.useTemplate || waited >= this.wait.maxWaitMs) {
          fallback = 'unreachable';
          this.deps.logger.warn('campaigns: the template writes the rest', { id: c.id, fans: pending.length, why: r.useTemplate ? 'operator' : 'wait_bound' });
          templateRest('ai_unreachable');
          break;
        }
        const before = { done, fromTemplate };
        const result = await generateMessages({
          ai: this.deps.ai(),
          campaignId: c.id,
          campaignType: c.type,
          operatorId: this.deps.operatorId(),
          persona,
          template: c.template,
          fans: pending.map((f) => generateFan(f, now)),
          variants,
          signal,
          waitWhenUnreachable: true,
          onRequest: (q) => {
            if (db.open) recipients.requestFor(c.id, q.requestId, q.variant);
          },
          onProgress: (p) => {
            done = before.done + p.done;
            fromTemplate = before.fromTemplate + p.fromTemplate;
            emit(false);
          },
        });
        store(result.messages.map((m) => ({ fanId: m.fanId, text: m.text, source: m.source, variant: m.variant, reason: m.fallbackReason === null ? null : `ai_${m.fallbackReason}` })));
        done = before.done + result.messages.length;
        fromTemplate = before.fromTemplate + result.messages.filter((m) => m.source === 'template').length;
        fallback = result.fallback ?? fallback;
        if (result.fallback) this.deps.logger.warn('campaigns: AI fell back to the template', { id: c.id, reason: result.fallback, fans: result.messages.filter((m) => m.source === 'template').length });
        if (!result.unreachable || result.aborted) break;
        pending = pendingFans();
        if (pending.length === 0) break;
        const ms = Math.max(0, Math.min(this.wait.baseMs * 2 ** Math.min(round, 20), this.wait.maxMs, this.wait.maxWaitMs - waited));
        this.deps.logger.warn('campaigns: AI unreachable, waiting', { id: c.id, fans: pending.length, ms });
        const sleptFrom = this.deps.clock.monotonic();
        const slept = this.sleep(r, ms);
        emit(false);
        // A wait cut short ("try again now") spends only what was really waited of the bound.
        waited += (await slept) ? ms : Math.min(ms, Math.max(0, this.deps.clock.monotonic() - sleptFrom));
        emit(false);
      }
    }
    // Off the running list before the last event, so a status read on hearing it says the run is over.
    this.release(c.id, r);
    emit(true);
  }
}
