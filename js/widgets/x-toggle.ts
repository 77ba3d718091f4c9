// The live plot's x-axis toggle: step | wall time, kept in the model's `x_axis` trait.
import type { AnyModel } from '@anywidget/types';

import type { XAxisMode } from '../plots/live-lines';
import { node } from './dom';

const MODES: XAxisMode[] = ['step', 'time'];

export interface IXAxisToggle {
  el: HTMLElement;
  /** Show the model's current choice as pressed. */
  show(): void;
}

export function xAxisToggle(doc: Document, model: AnyModel): IXAxisToggle {
  const el = node(doc, 'div', 'lt-w-toggle', 'labtrack-x-toggle');
  el.setAttribute('role', 'group');
  el.setAttribute('aria-label', 'x axis');
  const buttons = MODES.map(mode => {
    const button = node(doc, 'button', 'lt-w-toggle-button', `labtrack-x-${mode}`) as HTMLButtonElement;
    button.type = 'button';
    button.textContent = mode === 'step' ? 'step' : 'wall time';
    button.addEventListener('click', () => {
      model.set('x_axis', mode);
      model.save_changes();
    });
    return button;
  });
  el.append(...buttons);
  const show = (): void => {
    const mode = model.get('x_axis') === 'time' ? 'time' : 'step';
    buttons.forEach((button, index) => button.setAttribute('aria-pressed', String(MODES[index] === mode)));
  };
  return { el, show };
}
