import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { appendField } from '../form-field';
import { IStageRequest } from '../tokens';

const STAGES = ['', 'Staging', 'Production', 'Archived'];

/** Ask before a registry action; true when the user confirmed. */
export async function confirmAction(title: string, body: string, label: string): Promise<boolean> {
  const result = await showDialog({
    title,
    body,
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label })]
  });
  return result.button.accept;
}

/** The promote form: alias, stage, archive existing, reason. */
class PromoteForm extends Widget implements Dialog.IBodyWidget<IStageRequest> {
  constructor() {
    super();
    this.addClass('lt-PromoteForm');
    const doc = this.node.ownerDocument;
    // Its rows are spread (flex) rather than gridded: the checkbox's label is a sentence
    const field = (label: string, input: HTMLElement): void =>
      appendField(this.node, label, input, 'lt-PromoteForm-row');
    this._alias.value = 'champion';
    this._alias.dataset.testid = 'labtrack-promote-alias';
    this._alias.className = 'jp-mod-styled';
    field('Alias', this._alias);
    for (const name of STAGES) {
      const option = doc.createElement('option');
      option.value = name;
      option.textContent = name || '(keep the stage)';
      this._stage.append(option);
    }
    this._stage.dataset.testid = 'labtrack-promote-stage';
    this._stage.className = 'jp-mod-styled';
    field('Stage', this._stage);
    this._archive.type = 'checkbox';
    this._archive.dataset.testid = 'labtrack-promote-archive';
    field('Archive the stage’s other versions', this._archive);
    this._reason.placeholder = 'why (kept in the audit trail)';
    this._reason.className = 'jp-mod-styled';
    field('Reason', this._reason);
  }

  getValue(): IStageRequest {
    return {
      alias: this._alias.value.trim() || null,
      stage: this._stage.value || null,
      archive_existing: this._archive.checked,
      reason: this._reason.value.trim()
    };
  }

  private _alias = document.createElement('input');
  private _stage = document.createElement('select');
  private _archive = document.createElement('input');
  private _reason = document.createElement('input');
}

/** Ask how to promote `version`; null when cancelled. */
export async function askPromotion(model: string, version: string): Promise<IStageRequest | null> {
  const result = await showDialog<IStageRequest>({
    title: `Promote ${model} version ${version}`,
    body: new PromoteForm(),
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Promote' })]
  });
  return result.button.accept ? result.value : null;
}
