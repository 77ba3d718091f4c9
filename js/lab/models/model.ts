import { VDomModel } from '@jupyterlab/ui-components';

import { IAuditEntry, ILabtrackService, IModelDetail, IStageRequest } from '../tokens';

/** What the Models panel shows: the models, the chosen one with its versions and history. */
export interface IModelsPanelState {
  models: string[];
  selected: string | null;
  detail: IModelDetail | null;
  audit: IAuditEntry[];
  busy: boolean;
  /** The outcome of the last action, or why it was refused (the server's message). */
  notice: string | null;
  error: string | null;
}

/** Holds the panel's state and acts through the typed service; the view only renders. */
export class ModelsPanelModel extends VDomModel {
  constructor(private readonly _service: ILabtrackService) {
    super();
  }

  get state(): Readonly<IModelsPanelState> {
    return this._state;
  }

  async refresh(): Promise<void> {
    await this._run(null, async () => {
      const page = await this._service.listModels({ pageSize: 1000 });
      const models = page.models.map(m => m.name);
      const selected =
        this._state.selected && models.includes(this._state.selected)
          ? this._state.selected
          : (models[0] ?? null);
      this._set({ models, selected });
      await this._load(selected);
    });
  }

  async select(name: string): Promise<void> {
    this._set({ selected: name, notice: null, error: null });
    await this._run(null, () => this._load(name));
  }

  promote(version: string, request: IStageRequest): Promise<void> {
    const target = [request.alias ? `@${request.alias}` : '', request.stage ?? '']
      .filter(Boolean)
      .join(' ');
    return this._act(`version ${version} is now ${target}`, name =>
      this._service.promote(name, version, request)
    );
  }

  rollback(alias: string): Promise<void> {
    return this._act(`@${alias} rolled back`, name =>
      this._service.rollback(name, { alias, reason: '' })
    );
  }

  approve(version: string): Promise<void> {
    return this._act(`approved version ${version}`, name =>
      this._service.approve(name, version, { reason: '' })
    );
  }

  private async _act(done: string, action: (name: string) => Promise<unknown>): Promise<void> {
    const name = this._state.selected;
    if (!name) {
      return;
    }
    await this._run(`${name}: ${done}`, async () => {
      await action(name);
      await this._load(name);
    });
  }

  private async _load(name: string | null): Promise<void> {
    if (!name) {
      this._set({ detail: null, audit: [] });
      return;
    }
    const [detail, trail] = await Promise.all([
      this._service.getModel(name),
      this._service.getAudit(name)
    ]);
    this._set({ detail, audit: [...trail.entries].reverse() });
  }

  private async _run(notice: string | null, work: () => Promise<void>): Promise<void> {
    this._set({ busy: true });
    try {
      await work();
      this._set({ busy: false, error: null, notice: notice ?? this._state.notice });
    } catch (reason) {
      this._set({ busy: false, notice: null, error: (reason as Error).message });
    }
  }

  private _set(change: Partial<IModelsPanelState>): void {
    this._state = { ...this._state, ...change };
    this.stateChanged.emit();
  }

  private _state: IModelsPanelState = {
    models: [],
    selected: null,
    detail: null,
    audit: [],
    busy: false,
    notice: null,
    error: null
  };
}
