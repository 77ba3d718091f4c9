import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { appendField } from '../form-field';

/** A tag to set: key and value. */
export interface ITagEntry {
  key: string;
  value: string;
}

/** The "Add tag" form: a key and a value, each on its own labelled line. */
class TagForm extends Widget implements Dialog.IBodyWidget<ITagEntry> {
  constructor() {
    super();
    this.addClass('lt-TagForm');
    for (const [label, input, testid, hint] of [
      ['Key', this._key, 'labtrack-tag-key', 'e.g. owner'],
      ['Value', this._value, 'labtrack-tag-value', '']
    ] as const) {
      input.className = 'jp-mod-styled';
      input.dataset.testid = testid;
      input.placeholder = hint;
      appendField(this.node, label, input);
    }
    const note = this.node.ownerDocument.createElement('p');
    note.className = 'lt-TagForm-note';
    note.textContent = 'Keys starting with mlflow. or labtrack. are MLflow’s and labtrack’s own.';
    this.node.append(note);
  }

  getValue(): ITagEntry {
    return { key: this._key.value.trim(), value: this._value.value };
  }

  protected onAfterAttach(): void {
    this._key.focus();
  }

  private _key = document.createElement('input');
  private _value = document.createElement('input');
}

/** Ask for the tag to set on `count` runs; null when cancelled or left without a key. */
export async function askTag(count: number): Promise<ITagEntry | null> {
  const result = await showDialog<ITagEntry>({
    title: count === 1 ? 'Add a tag to the run' : `Add a tag to ${count} runs`,
    body: new TagForm(),
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Add tag' })]
  });
  return result.button.accept && result.value?.key ? result.value : null;
}
