import type { RenderProps } from '@anywidget/types';

import { node } from './dom';
import { approvalsCell, IApprovals, IRunLineage, lineageLine, runNameCell, userName } from './registry-lineage';
import { ensureRegistryStyles } from './registry-styles';
import { challengeLine, IChallenge, IWarning, unverifiedMark, warningBox } from './registry-trust';

/** One version as the kernel sends it (`ModelVersionView` of the server contract). */
interface IVersion {
  version: string;
  stage: string;
  run_id: string | null;
  aliases: string[];
  tags: Record<string, string>;
  approvers: string[];
  unverified_approvals?: string[];
  challenge?: IChallenge | null;
}

interface IAudit {
  timestamp: number;
  user: string;
  action: string;
  version: string | null;
  alias: string | null;
  before: string | null;
  after: string | null;
  reason: string;
  evidence?: string | null;
  verified?: boolean;
}

/** Traits of `labtrack.widgets.registry_view.RegistryWidget`. */
export interface IRegistryTraits {
  models: string[];
  selected: string;
  detail: {
    name: string;
    aliases: Record<string, string>;
    versions: IVersion[];
    approvals?: IApprovals;
    warnings?: IWarning[];
  } | null;
  audit: IAudit[];
  lineage: Record<string, IRunLineage>;
  notice: string;
  error: string;
}

const STAGES = ['', 'Staging', 'Production', 'Archived'];

function button(doc: Document, label: string, testid: string, onClick: () => void): HTMLElement {
  const el = node(doc, 'button', 'lt-w-reg-button', testid) as HTMLButtonElement;
  el.type = 'button';
  el.textContent = label;
  el.addEventListener('click', onClick);
  return el;
}

function text(doc: Document, tag: string, className: string, value: string): HTMLElement {
  const el = node(doc, tag, className);
  el.textContent = value;
  return el;
}

/** The registry: a model picker, versions with their actions, and the audit trail.
 * Every action first shows a confirmation bar; only Confirm sends it to the kernel. */
export function renderRegistry({ model, el }: RenderProps<IRegistryTraits>): () => void {
  ensureRegistryStyles(el);
  const doc = el.ownerDocument;
  const root = node(doc, 'div', 'lt-w-reg', 'labtrack-registry-widget');
  el.replaceChildren(root);
  let pending: HTMLElement | null = null;

  const send = (content: Record<string, unknown>): void => {
    model.send({ name: model.get('selected'), ...content });
  };

  /** Show a confirmation bar with optional inputs; `collect` reads them on Confirm. */
  const confirm = (
    question: string,
    inputs: HTMLElement[],
    collect: () => Record<string, unknown>
  ): void => {
    pending = node(doc, 'div', 'lt-w-reg-confirm', 'labtrack-registry-confirm');
    pending.append(text(doc, 'span', 'lt-w-reg-question', question), ...inputs);
    pending.append(
      button(doc, 'Confirm', 'labtrack-registry-confirm-yes', () => {
        send(collect());
        pending = null;
        draw();
      }),
      button(doc, 'Cancel', 'labtrack-registry-confirm-no', () => {
        pending = null;
        draw();
      })
    );
    draw();
  };

  const promote = (version: string): void => {
    const alias = node(doc, 'input', 'lt-w-reg-input', 'labtrack-registry-alias') as HTMLInputElement;
    alias.value = 'champion';
    alias.placeholder = 'alias';
    const stage = node(doc, 'select', 'lt-w-reg-input', 'labtrack-registry-stage') as HTMLSelectElement;
    for (const name of STAGES) {
      const option = doc.createElement('option');
      option.value = name;
      option.textContent = name || 'keep stage';
      stage.append(option);
    }
    const archive = node(doc, 'label', 'lt-w-reg-check');
    const box = doc.createElement('input');
    box.type = 'checkbox';
    box.dataset.testid = 'labtrack-registry-archive';
    archive.append(box, doc.createTextNode(' archive existing'));
    confirm(`Promote version ${version}:`, [alias, stage, archive], () => ({
      action: 'promote',
      version,
      alias: alias.value.trim() || null,
      stage: stage.value || null,
      archive_existing: box.checked
    }));
  };

  const draw = (): void => {
    const detail = model.get('detail');
    const parts: HTMLElement[] = [];
    const header = node(doc, 'div', 'lt-w-reg-header');
    header.append(text(doc, 'span', 'lt-w-reg-title', 'Model registry'));
    const picker = node(doc, 'select', 'lt-w-reg-input', 'labtrack-registry-model') as HTMLSelectElement;
    for (const name of model.get('models')) {
      const option = doc.createElement('option');
      option.value = option.textContent = name;
      option.selected = name === model.get('selected');
      picker.append(option);
    }
    picker.addEventListener('change', () => model.send({ action: 'select', name: picker.value }));
    header.append(picker);
    parts.push(header);

    for (const [kind, value] of [['error', model.get('error')], ['notice', model.get('notice')]]) {
      if (value) {
        parts.push(text(doc, 'div', `lt-w-reg-${kind}`, value));
        parts[parts.length - 1].dataset.testid = `labtrack-registry-${kind}`;
      }
    }
    if (!detail) {
      parts.push(text(doc, 'div', 'lt-w-reg-empty', 'No registered models yet: %track register'));
      root.replaceChildren(...parts);
      return;
    }
    for (const warning of detail.warnings ?? []) {
      parts.push(
        warningBox(doc, warning, fix =>
          confirm(`${fix.label}?`, [], () => ({
            action: 'promote',
            version: fix.version,
            alias: fix.alias,
            stage: fix.stage,
            archive_existing: fix.archive_existing,
            reason: `fix: ${fix.label}`
          }))
        )
      );
    }
    const aliases = node(doc, 'div', 'lt-w-reg-aliases');
    for (const [alias, version] of Object.entries(detail.aliases)) {
      const chip = node(doc, 'span', 'lt-w-reg-chip', `labtrack-registry-alias-${alias}`);
      chip.textContent = `@${alias} → v${version}`;
      aliases.append(
        chip,
        button(doc, 'Roll back', `labtrack-registry-rollback-${alias}`, () =>
          confirm(`Roll @${alias} back to its previous holder?`, [], () => ({
            action: 'rollback',
            alias
          }))
        )
      );
    }
    parts.push(aliases);
    if (pending) {
      parts.push(pending);
    }

    const table = node(doc, 'table', 'lt-w-reg-table', 'labtrack-registry-versions');
    const head = doc.createElement('tr');
    for (const label of ['Version', 'Stage', 'Aliases', 'Source run', 'Approvals', '']) {
      head.append(text(doc, 'th', '', label));
    }
    table.append(head);
    for (const version of detail.versions) {
      const row = node(doc, 'tr', '', `labtrack-registry-version-${version.version}`);
      const lineage = version.run_id ? model.get('lineage')[version.run_id] : undefined;
      row.append(
        text(doc, 'td', 'lt-w-reg-num', `v${version.version}`),
        text(doc, 'td', `lt-w-reg-stage lt-w-reg-stage-${version.stage}`, version.stage),
        text(doc, 'td', '', version.aliases.map(a => `@${a}`).join(' ')),
        runNameCell(doc, version.run_id, lineage),
        approvalsCell(doc, version.approvers, detail.approvals, version.version)
      );
      for (const user of version.unverified_approvals ?? []) {
        const ignored = text(doc, 'span', 'lt-w-reg-ignored', ` ${user}`);
        row.lastElementChild?.append(ignored, doc.createTextNode(' '), unverifiedMark(doc));
      }
      const actions = node(doc, 'td', 'lt-w-reg-actions');
      actions.append(
        button(doc, 'Promote…', `labtrack-registry-promote-${version.version}`, () =>
          promote(version.version)
        ),
        button(doc, 'Approve', `labtrack-registry-approve-${version.version}`, () =>
          confirm(`Approve version ${version.version} as yourself?`, [], () => ({
            action: 'approve',
            version: version.version
          }))
        )
      );
      row.append(actions);
      const lineageRow = node(doc, 'tr', 'lt-w-reg-lineageRow');
      const lineageCell = node(doc, 'td', '');
      (lineageCell as HTMLTableCellElement).colSpan = 6;
      lineageCell.append(lineageLine(doc, version.run_id, lineage, version.version));
      if (version.challenge) {
        lineageCell.append(challengeLine(doc, version.challenge, version.version));
      }
      lineageRow.append(lineageCell);
      table.append(row, lineageRow);
    }
    parts.push(table);

    const history = node(doc, 'ol', 'lt-w-reg-history', 'labtrack-registry-history');
    for (const entry of model.get('audit').slice(0, 8)) {
      const when = new Date(entry.timestamp).toLocaleString();
      const change = `${entry.before ?? '—'} → ${entry.after ?? '—'}`;
      const what =
        entry.action === 'register' || entry.action === 'approve'
          ? `${entry.action === 'register' ? 'registered' : 'approved'} v${entry.version}`
          : entry.action === 'policy' || entry.action === 'challenge'
            ? `${entry.action === 'policy' ? 'set the policy' : `challenged with v${entry.version}:`} ${entry.after ?? ''}`
            : entry.alias
            ? `${entry.action === 'rollback' ? 'rolled back' : 'moved'} @${entry.alias} ${change}`
            : `v${entry.version} stage ${change}`;
      const item = text(doc, 'li', entry.verified === false ? 'lt-w-reg-ignored' : '', `${when} · `);
      if (entry.verified === false) {
        item.append(unverifiedMark(doc), doc.createTextNode(' '));
      }
      item.append(userName(doc, entry.user), doc.createTextNode(` · ${what}`));
      if (entry.reason) {
        item.append(text(doc, 'span', 'lt-w-reg-reason', ` (${entry.reason})`));
      }
      if (entry.evidence) {
        item.append(text(doc, 'span', 'lt-w-reg-reason', ` [evaluation run ${entry.evidence}]`));
      }
      history.append(item);
    }
    parts.push(text(doc, 'div', 'lt-w-reg-subtitle', 'History'), history);
    root.replaceChildren(...parts);
  };

  const names = ['models', 'selected', 'detail', 'audit', 'lineage', 'notice', 'error'] as const;
  for (const name of names) {
    model.on(`change:${name}`, draw);
  }
  draw();
  return () => {
    for (const name of names) {
      model.off(`change:${name}`, draw);
    }
    root.remove();
  };
}
