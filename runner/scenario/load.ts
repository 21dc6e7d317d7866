/**
 * Loads suites/*.yaml into the typed model (model.ts). Every problem names file:line:col of the
 * offending YAML node, and all problems of all files are collected before one ScenarioLoadError
 * (a HarnessError, exit 2) lists them, first location first.
 *
 * Checks, in order: YAML syntax; the schema (schema.ts, via Ajv: unknown keys with "did you
 * mean", wrong types, missing fields, bad durations, levels, statuses); step kinds (step-shape.ts);
 * queries, regexes, instants, `${…}` syntax, requirement ids (semantic-checks.ts); variables
 * defined before use (variables.ts); scenario ids unique across all files loaded together, and every
 * step's `prerequisite:` naming one of them (another scenario's).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { HarnessError, formatLocation, type SourceLocation } from '../errors.js';
import { buildScenarioFile } from './build-model.js';
import type { ScenarioFile } from './model.js';
import { ScenarioLoadError, type Problem } from './problems.js';
import { schemaProblems } from './schema-validation.js';
import { forEachScenario, forEachStep, type RecordValue } from './scenario-walk.js';
import { didYouMean } from './suggest.js';
import { semanticProblems } from './semantic-checks.js';
import { stepShapeProblems } from './step-shape.js';
import { variableProblems } from './variables.js';
import { YamlSource } from './yaml-source.js';

export { ScenarioLoadError, type Problem } from './problems.js';
export { BUILTIN_VARIABLES } from './variables.js';

export interface LoadOptions {
  /** Known requirement ids (suites/requirements.csv); when given, any other id is an error. */
  requirements?: ReadonlySet<string>;
  /** Extra built-in variables, in BUILTIN_VARIABLES notation ("name", "name.member", "name.*"). */
  knownVariables?: readonly string[];
  /** ScenarioFile.file and locations are relative to this directory (default: the project root). */
  root?: string;
}

export { PROJECT_ROOT };

/** Loads the given files and directories (their *.yaml / *.yml, sorted by name). */
export function loadSuite(paths: string | readonly string[], options: LoadOptions = {}): ScenarioFile[] {
  const root = options.root ?? PROJECT_ROOT;
  const analyses = suiteFiles(paths).map((file) => analyze(readSuiteFile(file), displayPath(file, root), options));
  return finish(analyses);
}

/** Loads one file's text; `file` is the name used in locations. */
export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): ScenarioFile {
  return finish([analyze(text, file, options)])[0];
}

/** The YAML files a list of files and directories stands for, in load order. */
export function suiteFiles(paths: string | readonly string[]): string[] {
  const list = typeof paths === 'string' ? [paths] : [...paths];
  return list.flatMap((entry) => {
    const absolute = path.resolve(entry);
    if (!isDirectory(absolute)) return [absolute];
    return readdirSync(absolute)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => path.join(absolute, name));
  });
}

interface Analysis {
  file?: ScenarioFile;
  problems: Problem[];
  ids: Array<{ id: string; location: SourceLocation }>;
  /** Each step's `prerequisite:` with the scenario it is written in, checked once all files are read. */
  prerequisites: Array<{ id: string; scenario: unknown; location: SourceLocation }>;
}

function analyze(text: string, file: string, options: LoadOptions): Analysis {
  const source = new YamlSource(text, file);
  const syntax = source.syntaxProblems();
  if (syntax.length > 0) return { problems: syntax, ids: [], prerequisites: [] };
  let value: unknown;
  try {
    value = source.value();
  } catch (error) {
    const location = source.locationOf([]);
    return { problems: [{ code: 'FWC_ERR_SCENARIO_SYNTAX', message: `YAML: ${(error as Error).message}`, location }], ids: [], prerequisites: [] };
  }
  const problems = unique(
    [
      ...schemaProblems(value),
      ...stepShapeProblems(value),
      ...semanticProblems(value, { requirements: options.requirements }),
      ...variableProblems(value, { knownVariables: options.knownVariables, lineOf: (at) => source.locationOf(at).line }),
    ].map((problem) => source.locate(problem)),
  );
  const ids = scenarioIds(value, source);
  const prerequisites = stepPrerequisites(value, source);
  if (problems.length > 0) return { problems, ids, prerequisites };
  return { file: buildScenarioFile(value as RecordValue, file, (at) => source.locationOf(at)), problems, ids, prerequisites };
}

/** Adds duplicate-id problems across all analyses; throws when anything is wrong. */
function finish(analyses: Analysis[]): ScenarioFile[] {
  const problems = [...analyses.flatMap((analysis) => analysis.problems), ...duplicateIds(analyses), ...unknownPrerequisites(analyses)];
  if (problems.length > 0) throw new ScenarioLoadError(problems);
  return analyses.map((analysis) => analysis.file as ScenarioFile);
}

function duplicateIds(analyses: Analysis[]): Problem[] {
  const first = new Map<string, SourceLocation>();
  const problems: Problem[] = [];
  for (const { id, location } of analyses.flatMap((analysis) => analysis.ids)) {
    const earlier = first.get(id);
    if (earlier) {
      const message = `duplicate scenario id "${id}": already used at ${formatLocation(earlier)}`;
      problems.push({ code: 'FWC_ERR_SCENARIO_DUPLICATE_ID', message, location });
    } else first.set(id, location);
  }
  return problems;
}

/** A prerequisite names another scenario of the files loaded together (did you mean…). */
function unknownPrerequisites(analyses: Analysis[]): Problem[] {
  const known = new Set(analyses.flatMap((analysis) => analysis.ids.map(({ id }) => id)));
  return analyses.flatMap((analysis) => analysis.prerequisites).flatMap(({ id, scenario, location }): Problem[] => {
    const code = 'FWC_ERR_SCENARIO_UNKNOWN_PREREQUISITE';
    if (id === scenario) return [{ code, message: `prerequisite ${JSON.stringify(id)} is this scenario itself: name the scenario that judges what this step checks`, location }];
    if (known.has(id)) return [];
    return [{ code, message: `unknown prerequisite ${JSON.stringify(id)}${didYouMean(id, known)}: expected the id of the scenario that judges this step`, location }];
  });
}

function stepPrerequisites(value: unknown, source: YamlSource): Analysis['prerequisites'] {
  const found: Analysis['prerequisites'] = [];
  forEachScenario(value, (scenario, at) =>
    forEachStep(scenario, at, ({ step, path }) => {
      if (typeof step.prerequisite === 'string') found.push({ id: step.prerequisite, scenario: scenario.id, location: source.locationOf([...path, 'prerequisite']) });
    }),
  );
  return found;
}

function scenarioIds(value: unknown, source: YamlSource): Analysis['ids'] {
  const ids: Analysis['ids'] = [];
  forEachScenario(value, (scenario, at) => {
    if (typeof scenario.id === 'string') ids.push({ id: scenario.id, location: source.locationOf([...at, 'id']) });
  });
  return ids;
}

function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${formatLocation(problem.location)} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function readSuiteFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new HarnessError('FWC_ERR_CONFIG', `cannot read suite file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false; // a missing path is reported when it is read
  }
}

/** Relative to the root with forward slashes (suites/04-binding.yaml); absolute when outside it. */
function displayPath(file: string, root: string): string {
  const relative = path.relative(root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return relative.split(path.sep).join('/');
}
