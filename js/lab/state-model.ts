import { ISignal, Signal } from '@lumino/signaling';

/** A model a React view follows: one immutable state object, replaced by `update`, and a
 * signal when it changes. The same contract as `VDomModel` (and so a `VDomRenderer.IModel`),
 * without importing `@jupyterlab/ui-components`, whose icons need a browser: the node specs
 * load the models built on this one. */
export class StateModel<T extends object> {
  constructor(initial: T) {
    this._state = initial;
  }

  get state(): Readonly<T> {
    return this._state;
  }

  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    Signal.clearData(this);
  }

  /** Replace the fields in `patch` and tell the views. */
  protected update(patch: Partial<T>): void {
    this._state = { ...this._state, ...patch };
    this._stateChanged.emit(void 0);
  }

  private _state: T;
  private _isDisposed = false;
  private _stateChanged = new Signal<this, void>(this);
}
