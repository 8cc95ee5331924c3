import { create } from 'zustand';
import { api } from '../api/client';
import { nextRebuild, type RebuildProgress } from '../lib/rebuild';

/** The time-zone re-bucketing under way, followed from the first render so every screen sees it. */
export const useRebuild = create<{ progress: RebuildProgress | null }>(() => ({ progress: null }));

api.on('costs.rebuild', (event) => useRebuild.setState((s) => ({ progress: nextRebuild(s.progress, event) })));
