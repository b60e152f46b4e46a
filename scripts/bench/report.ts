import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, describeError, log, ROOT, round, runTs, type Figure, type ScenarioResult } from './lib';

/** A scenario file of this folder, the figures it measures (listed with a note if it fails), its limits. */
export interface Scenario {
  file: string;
  figures: string[];
  nodeArgs?: string[];
  timeoutMs: number;
}

export function ratio(figure: Figure): number | null {
  const { value } = figure;
  const base = figure.baseline.value;
  if (value === null || base === null || value <= 0 || base <= 0) return null;
  return figure.higherIsBetter ? value / base : base / value;
}

/**
 * Runs the scenarios one after the other, each in its own process. A scenario that fails leaves its
 * figures as their templates with a note saying why; the suite goes on.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  templates: readonly Figure[],
  options: { quick: boolean; env?: Record<string, string> },
): Promise<{ found: Map<string, Figure>; shared: Record<string, number> }> {
  const found = new Map<string, Figure>();
  const shared: Record<string, number> = {};
  for (const scenario of scenarios) {
    const scenarioStarted = performance.now();
    log(`${scenario.file}${options.quick ? ' (quick)' : ''}`);
    try {
      const result = await runTs<ScenarioResult>(
        path.join(BENCH_DIR, scenario.file),
        options.quick ? ['--quick'] : [],
        {
          nodeArgs: scenario.nodeArgs ?? [],
          timeoutMs: scenario.timeoutMs,
          ...(options.env ? { env: options.env } : {}),
        },
      );
      for (const figure of result.figures) found.set(figure.name, figure);
      Object.assign(shared, result.shared ?? {});
    } catch (error) {
      for (const name of scenario.figures) {
        const template = templates.find((figure) => figure.name === name);
        if (template)
          found.set(name, { ...template, note: `scenario ${scenario.file} failed: ${describeError(error)}` });
      }
    }
    log(`${scenario.file} done in ${Math.round((performance.now() - scenarioStarted) / 1000)} s`);
  }
  return { found, shared };
}

/** Writes a results file under bench/ (git ignores it). */
export function writeResults(file: string, results: object): void {
  mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench', file), `${JSON.stringify(results, null, 2)}\n`);
}

const format = (value: number | null, unit: string) =>
  value === null ? 'n/a' : `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value} ${unit}`;

function verdict(figure: Figure, r: number | null): string {
  const note = figure.note?.replace(/^not measured: /, '');
  if (r === null) return `not measured${note ? `: ${note}` : ''}`;
  const outcome = figure.informational ? 'informational (no bar)' : r >= figure.bar ? 'pass' : 'MISSED';
  return `${outcome}${note ? ` (${note})` : ''}`;
}

/** The markdown table printed on stdout: a header line, one row per figure, the footer. */
export function renderTable(header: string, figures: readonly Figure[], startedMs: number): string {
  const lines = [
    header,
    '',
    '| figure | ours | baseline (same run) | ratio | bar | verdict |',
    '|---|---|---|---|---|---|',
  ];
  for (const figure of figures) {
    const r = ratio(figure);
    const bar = figure.informational ? 'none' : `>= ${round(figure.bar)}`;
    lines.push(
      `| \`${figure.name}\` | ${format(figure.value, figure.unit)} | ${figure.baseline.name}: ${format(figure.baseline.value, figure.unit)} | ${r === null ? 'n/a' : r.toFixed(2)} | ${bar} | ${verdict(figure, r)} |`,
    );
  }
  lines.push(
    '',
    `ratio = ours / baseline for rates, baseline / ours for latencies, times and memory. Took ${Math.round((performance.now() - startedMs) / 1000)} s.`,
  );
  return `${lines.join('\n')}\n`;
}
