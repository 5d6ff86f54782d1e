import { formatLocation, type Finding, type ValidationReport } from '@minjiang/sdk';

/** XML 1.0 cannot carry most control characters, even escaped. */
// eslint-disable-next-line no-control-regex -- matching them is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(XML_FORBIDDEN, '');
}

function failure(finding: Finding): string {
  const detail = [
    formatLocation(finding.location),
    finding.pointer ?? '',
    finding.found === undefined ? '' : `found: ${finding.found}`,
    finding.expected === undefined ? '' : `expected: ${finding.expected}`,
    finding.hint ?? '',
  ].filter(Boolean);
  const tag = finding.severity === 'error' ? 'failure' : 'skipped';
  if (tag === 'skipped') return `      <skipped message="${xml(`${finding.code} ${finding.message}`)}"/>`;
  return `      <failure type="${xml(finding.code)}" message="${xml(finding.message)}">${xml(detail.join('\n'))}</failure>`;
}

interface Case {
  name: string;
  findings: Finding[];
}

/** One test case per resource of each file, so a CI dashboard lists which resource failed. */
function casesOf(report: ValidationReport, path: string, resources: number): Case[] {
  const cases: Case[] = Array.from({ length: resources }, (_, index) => ({
    name: `#${index}`,
    findings: [],
  }));
  const fileWide: Finding[] = [];
  for (const finding of report.findings.filter((f) => f.location.file === path)) {
    const target = finding.resource ? cases[finding.resource.index] : undefined;
    if (target) {
      target.name =
        `#${finding.resource?.index} ${finding.resource?.code ?? ''} ${finding.resource?.name ?? ''}`.trim();
      target.findings.push(finding);
    } else fileWide.push(finding);
  }
  return fileWide.length > 0 ? [{ name: 'file', findings: fileWide }, ...cases] : cases;
}

/**
 * JUnit XML as GitLab, Jenkins and GitHub test reporters read it: a suite per file, a case per
 * resource, a failure per error. Warnings are recorded as skipped so they show without failing.
 */
export function renderJUnit(report: ValidationReport, name = 'minjiang catalog validate'): string {
  const suites = report.files.map((file) => {
    const cases = casesOf(report, file.path, file.resources);
    const failures = cases.filter((c) => c.findings.some((f) => f.severity === 'error')).length;
    const body = cases.map((c) => {
      const inner = c.findings.map(failure);
      const open = `    <testcase classname="${xml(file.path)}" name="${xml(c.name)}"`;
      return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`;
    });
    return [
      `  <testsuite name="${xml(file.path)}" tests="${cases.length}" failures="${failures}" errors="0">`,
      ...body,
      '  </testsuite>',
    ].join('\n');
  });
  const failures = report.findings.filter((f) => f.severity === 'error').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${report.summary.resources}" failures="${failures}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
