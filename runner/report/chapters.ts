/**
 * Scenarios grouped by chapter, chapters and scenarios in suite order (file, then line) whatever order
 * the workers finished them in; no chapter → "other".
 */
import type { ScenarioResult } from './results-types.js';

export function chapterOf(scenario: ScenarioResult): string {
  return scenario.chapter || 'other';
}

export function groupByChapter(scenarios: readonly ScenarioResult[]): Map<string, ScenarioResult[]> {
  const chapters = new Map<string, ScenarioResult[]>();
  for (const scenario of inSuiteOrder(scenarios)) {
    const chapter = chapterOf(scenario);
    const list = chapters.get(chapter);
    if (list) list.push(scenario);
    else chapters.set(chapter, [scenario]);
  }
  return chapters;
}

export function inSuiteOrder(scenarios: readonly ScenarioResult[]): ScenarioResult[] {
  return [...scenarios].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}
