import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { z } from 'zod';

/** A small state file the app keeps for itself; null when absent or not ours to trust (a bad file is ignored, never fatal). */
export function readJsonFile<T extends z.ZodType>(path: string, schema: T): z.output<T> | null {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written whole then renamed: a crash mid-write leaves the previous file, not half of one. */
export function writeJsonFile<T extends z.ZodType>(path: string, schema: T, value: z.input<T>): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(schema.parse(value)));
  renameSync(`${path}.tmp`, path);
}
