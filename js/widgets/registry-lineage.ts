import { node } from './dom';

/** The lineage of a source run as the kernel computes it
 * (`labtrack.widgets.version_lineage.run_lineage`). */
export interface IRunLineage {
  run_id: string;
  run_name?: string;
  notebook?: string | null;
  commit?: string | null;
  dirty?: boolean;
  datasets?: { name: string; digest: string }[];
  error?: string;
}

/** The model's approval policy (`ApprovalsView` of the server contract). */
export interface IApprovals {
  required: number;
  protected: string[];
}

function span(doc: Document, className: string, value: string, title?: string): HTMLElement {
  const el = node(doc, 'span', className);
  el.textContent = value;
  if (title) {
    el.title = title;
  }
  return el;
}

/** The source run by name (from its lineage), its full id in the tooltip. */
export function runNameCell(doc: Document, runId: string | null, lineage: IRunLineage | undefined): HTMLElement {
  const cell = node(doc, 'td', 'lt-w-reg-run');
  cell.textContent = runId ? lineage?.run_name || runId.slice(0, 8) : '—';
  if (runId) {
    cell.title = `source run ${runId}`;
  }
  return cell;
}

/** The full source run id, selectable as one piece, with a Copy button. */
function runIdParts(doc: Document, runId: string, version: string): HTMLElement[] {
  const id = span(doc, 'lt-w-reg-mono lt-w-reg-runid', runId, `source run ${runId}`);
  id.dataset.testid = `labtrack-registry-run-${version}`;
  const copy = node(doc, 'button', 'lt-w-reg-button lt-w-reg-copy', `labtrack-registry-copy-${version}`);
  (copy as HTMLButtonElement).type = 'button';
  copy.textContent = 'Copy';
  copy.title = 'Copy the source run id';
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(runId).then(
      () => (copy.textContent = 'Copied'),
      () => doc.getSelection()?.selectAllChildren(id)
    );
  });
  return [span(doc, '', 'run '), id, copy];
}

/** A user name cut short (hex ids are long), whole in its tooltip. */
export function userName(doc: Document, user: string): HTMLElement {
  return span(doc, 'lt-w-reg-user', user, user);
}

/** One line under a version: notebook · git commit · dataset digests of its source run. */
export function lineageLine(
  doc: Document,
  runId: string | null,
  lineage: IRunLineage | undefined,
  version: string
): HTMLElement {
  const line = node(doc, 'div', 'lt-w-reg-lineage', `labtrack-registry-lineage-${version}`);
  if (!runId) {
    line.textContent = 'no source run';
    return line;
  }
  line.append(...runIdParts(doc, runId, version));
  if (!lineage || lineage.error) {
    line.append(doc.createTextNode(` · lineage unavailable${lineage?.error ? `: ${lineage.error}` : ''}`));
    return line;
  }
  const parts: HTMLElement[] = [];
  const notebook = lineage.notebook;
  parts.push(
    span(doc, '', notebook ? `notebook ${notebook.split('/').pop()}` : 'no notebook recorded', notebook ?? '')
  );
  const commit = lineage.commit;
  parts.push(
    commit
      ? span(doc, 'lt-w-reg-mono', `git ${commit.slice(0, 10)}${lineage.dirty ? ' (dirty)' : ''}`, commit)
      : span(doc, '', 'no git')
  );
  for (const d of lineage.datasets ?? []) {
    parts.push(span(doc, 'lt-w-reg-mono', `${d.name} ${d.digest}`, `dataset ${d.name}, digest ${d.digest}`));
  }
  if (!lineage.datasets?.length) {
    parts.push(span(doc, '', 'no datasets'));
  }
  for (const part of parts) {
    line.append(doc.createTextNode(' · '), part);
  }
  return line;
}

/** The approvals cell: "1 of 2 approvals" when the policy needs any, then the approvers. */
export function approvalsCell(
  doc: Document,
  approvers: string[],
  approvals: IApprovals | undefined,
  version: string
): HTMLElement {
  const cell = node(doc, 'td', 'lt-w-reg-approvals', `labtrack-registry-approvals-${version}`);
  cell.title = policyTitle(approvals);
  const required = approvals?.required ?? 0;
  if (required > 0) {
    cell.append(span(doc, '', `${approvers.length} of ${required} approvals`));
  } else if (!approvers.length) {
    cell.textContent = '—';
  }
  for (const user of approvers) {
    cell.append(doc.createTextNode(' '), userName(doc, user));
  }
  return cell;
}

/** What the policy protects, for a tooltip. */
export function policyTitle(approvals: IApprovals | undefined): string {
  if (!approvals || approvals.required <= 0) {
    return 'No approvals required';
  }
  const targets = approvals.protected.join(', ') || 'nothing';
  return `Promotion to ${targets} needs ${approvals.required} approvals from distinct users`;
}
