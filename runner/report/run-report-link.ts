/**
 * Where a run's own report is, seen from the matrix page: the index.html a run writes beside its
 * results.json. A relative link, so the matrix and the reports can be published together; always
 * starting with ./ or ../ so no folder name can turn it into a scheme (a folder named "javascript:").
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPORT_FILES } from './write-reports.js';

export function runReportLink(resultsFile: string, pageFile: string): string | undefined {
  const report = path.join(path.dirname(path.resolve(resultsFile)), REPORT_FILES.html);
  if (!existsSync(report)) return undefined;
  const relative = path.relative(path.dirname(path.resolve(pageFile)), report).split(path.sep).map(encodeURIComponent).join('/');
  return relative.startsWith('../') ? relative : `./${relative}`;
}
