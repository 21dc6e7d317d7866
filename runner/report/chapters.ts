/** Scenarios grouped by chapter, chapters in the order the run met them; no chapter → "other". */
import type { ScenarioResult } from './results-types.js';

export function chapterOf(scenario: ScenarioResult): string {
  return scenario.chapter || 'other';
}

export function groupByChapter(scenarios: readonly ScenarioResult[]): Map<string, ScenarioResult[]> {
  const chapters = new Map<string, ScenarioResult[]>();
  for (const scenario of scenarios) {
    const chapter = chapterOf(scenario);
    const list = chapters.get(chapter);
    if (list) list.push(scenario);
    else chapters.set(chapter, [scenario]);
  }
  return chapters;
}
