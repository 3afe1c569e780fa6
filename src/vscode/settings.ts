// The `gradlens.*` settings as one plain object, and the analysis options they make.
// No VS Code import: the host passes a getter over `workspace.getConfiguration('gradlens')`.
import type { AnalysisOptions } from './workerProtocol';

export interface GradLensSettings {
  /** Sizes of symbolic dims ("N", "D") for inputs whose shapes come from docstrings or comments. */
  dims: Record<string, number>;
  check: { h: number; passThreshold: number; warnThreshold: number; sampledElements: number };
  hoverEnabled: boolean;
  codeLensEnabled: boolean;
  budget: { maxSteps: number; maxMillis: number; maxElements: number };
}

/** The manifest's defaults (package.json `contributes.configuration`); a test keeps the two equal. */
export const defaultSettings: GradLensSettings = {
  dims: { N: 4, D: 5, C: 3, H: 6 },
  check: { h: 1e-6, passThreshold: 1e-7, warnThreshold: 1e-4, sampledElements: 25 },
  hoverEnabled: true,
  codeLensEnabled: true,
  budget: { maxSteps: 2_000_000, maxMillis: 10_000, maxElements: 5_000_000 },
};

/** Reads one setting by its key below `gradlens.` ("check.h"); undefined when unset. */
export type SettingGetter = (key: string) => unknown;

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

function number(get: SettingGetter, key: string, fallback: number): number {
  const v = get(key);
  return positive(v) ? v : fallback;
}

function boolean(get: SettingGetter, key: string, fallback: boolean): boolean {
  const v = get(key);
  return typeof v === 'boolean' ? v : fallback;
}

/** Dims that are positive integers; anything else in the user's object is dropped. */
function dims(raw: unknown): Record<string, number> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ...defaultSettings.dims };
  const out: Record<string, number> = {};
  for (const [name, size] of Object.entries(raw)) {
    if (/^[A-Za-z_]\w*$/.test(name) && Number.isInteger(size) && (size as number) > 0) out[name] = size as number;
  }
  return out;
}

/** The settings, with each malformed value replaced by its default (a typo must not break analysis). */
export function readSettings(get: SettingGetter): GradLensSettings {
  const d = defaultSettings;
  return {
    dims: dims(get('dims')),
    check: {
      h: number(get, 'check.h', d.check.h),
      passThreshold: number(get, 'check.passThreshold', d.check.passThreshold),
      warnThreshold: number(get, 'check.warnThreshold', d.check.warnThreshold),
      sampledElements: Math.round(number(get, 'check.sampledElements', d.check.sampledElements)),
    },
    hoverEnabled: boolean(get, 'hover.enabled', d.hoverEnabled),
    codeLensEnabled: boolean(get, 'codeLens.enabled', d.codeLensEnabled),
    budget: {
      maxSteps: Math.round(number(get, 'budget.maxSteps', d.budget.maxSteps)),
      maxMillis: number(get, 'budget.maxMillis', d.budget.maxMillis),
      maxElements: Math.round(number(get, 'budget.maxElements', d.budget.maxElements)),
    },
  };
}

/** What a worker is asked to run with; `check: false` skips finite differences (hover, background). */
/** The engine's options for an analysis with or without the check and the panel's views (the graph and the generated backward code). */
export function analysisOptions(settings: GradLensSettings, check: boolean, views = false): AnalysisOptions {
  return {
    seed: 0,
    check,
    views,
    dims: { ...settings.dims },
    budget: { maxSteps: settings.budget.maxSteps, maxMillis: settings.budget.maxMillis },
    // One tensor may use the whole element budget; all of them together ten times that.
    limits: { maxElementsPerTensor: settings.budget.maxElements, maxTotalElements: settings.budget.maxElements * 10 },
    gradcheck: { ...settings.check },
  };
}
