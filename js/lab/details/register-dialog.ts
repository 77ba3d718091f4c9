import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { appendField } from '../form-field';

/** Where to register a logged model: a model name (existing or new) and an optional alias. */
export interface IRegistration {
  name: string;
  alias: string | null;
}

/** The "Register model" form: the model name (existing ones offered), an alias. */
class RegisterForm extends Widget implements Dialog.IBodyWidget<IRegistration> {
  constructor(
    private readonly _existing: readonly string[],
    suggested: string
  ) {
    super();
    this.addClass('lt-RegisterForm');
    const doc = this.node.ownerDocument;
    const list = doc.createElement('datalist');
    list.id = `lt-register-models-${Private.nextId++}`;
    for (const name of _existing) {
      const option = doc.createElement('option');
      option.value = name;
      list.append(option);
    }
    this._name.setAttribute('list', list.id);
    this._name.value = suggested;
    this._name.dataset.testid = 'labtrack-register-name';
    this._alias.placeholder = 'optional, e.g. candidate';
    this._alias.dataset.testid = 'labtrack-register-alias';
    this._note.className = 'lt-RegisterForm-note';
    this._note.dataset.testid = 'labtrack-register-note';
    this._name.className = this._alias.className = 'jp-mod-styled';
    appendField(this.node, 'Model', this._name);
    this.node.append(this._note, list);
    appendField(this.node, 'Alias', this._alias);
    this._name.addEventListener('input', () => this._describe());
    this._describe();
  }

  getValue(): IRegistration {
    return { name: this._name.value.trim(), alias: this._alias.value.trim() || null };
  }

  protected onAfterAttach(): void {
    this._name.focus();
    this._name.select();
  }

  private _describe(): void {
    const name = this._name.value.trim();
    this._note.textContent = !name
      ? 'Name the registered model (pick one or type a new name).'
      : this._existing.includes(name)
        ? `A new version of “${name}”.`
        : `A new model “${name}”, version 1.`;
  }

  private _name = document.createElement('input');
  private _alias = document.createElement('input');
  private _note = document.createElement('p');
}

/** Ask where to register the model `label` of a run; null when cancelled or unnamed. */
export async function askRegistration(
  label: string,
  existing: readonly string[]
): Promise<IRegistration | null> {
  const result = await showDialog<IRegistration>({
    title: `Register model “${label}”`,
    body: new RegisterForm(existing, label),
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Register' })]
  });
  return result.button.accept && result.value?.name ? result.value : null;
}

namespace Private {
  export let nextId = 0;
}
