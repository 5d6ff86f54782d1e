import { formatLocation, type Finding, type ValidationReport } from '@minjiang/sdk';

/** Workflow-command escaping: data escapes %, CR, LF; properties also ':' and ','. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(finding: Finding): string {
  const level = finding.severity === 'error' ? 'error' : 'warning';
  const props = [`file=${property(finding.location.file)}`];
  const line = finding.location.line ?? (finding.location.sheet ? undefined : finding.location.row);
  if (line !== undefined) props.push(`line=${line}`);
  props.push(`title=${property(`${finding.code} ${formatLocation(finding.location)}`)}`);
  const text = [finding.message, finding.hint].filter(Boolean).join(' — ');
  return `::${level} ${props.join(',')}::${data(text)}`;
}

/** GitHub Actions annotations: each finding shows on the file in the pull request. */
export function renderGitHub(report: ValidationReport): string {
  return report.findings.map((finding) => `${annotation(finding)}\n`).join('');
}
