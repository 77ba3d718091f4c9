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

/** The full source run id, selectable as one piece, with a Copy button. */
export function runIdCell(doc: Document, runId: string | null, version: string): HTMLElement {
  const cell = node(doc, 'td', 'lt-w-reg-run');
  if (!runId) {
    cell.textContent = '—';
    return cell;
  }
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
  cell.append(id, copy);
  return cell;
}

/** One line under a version: notebook · git commit · dataset digests of its source run. */
export function lineageLine(doc: Document, lineage: IRunLineage | undefined, version: string): HTMLElement {
  const line = node(doc, 'div', 'lt-w-reg-lineage', `labtrack-registry-lineage-${version}`);
  if (!lineage) {
    line.textContent = 'no source run';
    return line;
  }
  if (lineage.error) {
    line.textContent = `lineage unavailable: ${lineage.error}`;
    return line;
  }
  const parts: HTMLElement[] = [];
  const notebook = lineage.notebook;
  parts.push(
    span(doc, '', notebook ? `📓 ${notebook.split('/').pop()}` : 'no notebook recorded', notebook ?? '')
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
  parts.forEach((part, i) => {
    if (i > 0) {
      line.append(doc.createTextNode(' · '));
    }
    line.append(part);
  });
  return line;
}

/** "1 of 2 approvals" when the policy needs any, else the approvers (or —). */
export function approvalsText(approvers: string[], approvals: IApprovals | undefined): string {
  const required = approvals?.required ?? 0;
  if (required <= 0) {
    return approvers.join(', ') || '—';
  }
  const count = `${approvers.length} of ${required} approvals`;
  return approvers.length ? `${count} (${approvers.join(', ')})` : count;
}

/** What the policy protects, for a tooltip. */
export function policyTitle(approvals: IApprovals | undefined): string {
  if (!approvals || approvals.required <= 0) {
    return 'No approvals required';
  }
  const targets = approvals.protected.join(', ') || 'nothing';
  return `Promotion to ${targets} needs ${approvals.required} approvals from distinct users`;
}
