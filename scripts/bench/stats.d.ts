// Types of stats.js, for its unit test (test/bench-stats.test.ts).

export interface Timed {
  samples: number[];
}
export interface RatioSummary {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  rounds: number;
}
export interface Verdict {
  median: number;
  decisive: number;
  pass: boolean;
}
export function quantile(values: number[], p: number): number;
export function pairedRatios(a: Timed | null | undefined, b: Timed | null | undefined): number[] | null;
export function ratioSummary(ratios: number[] | null): RatioSummary | null;
export function judge(ratios: number[] | null, limit: number, direction: 'max' | 'min'): Verdict | null;
export interface SweepPoint {
  length: number;
  ratio: number;
}
export function crossover(points: SweepPoint[]): { length: number; below: boolean } | null;
