import { VDomModel } from '@jupyterlab/ui-components';

import { IAuditEntry, ILabtrackService, IModelDetail, IRunDetail, IStageRequest } from '../tokens';

/** What the Models panel shows: the models, the chosen one with its versions and history. */
export interface IModelsPanelState {
  models: string[];
  selected: string | null;
  detail: IModelDetail | null;
  audit: IAuditEntry[];
  /** Each version's source run (its lineage), by run id; a message when it cannot be read. */
  runs: Record<string, IRunDetail | string>;
  /** Whether a notebook is open to insert "load this version" code into. */
  canInsert: boolean;
  busy: boolean;
  /** The outcome of the last action, or why it was refused (the server's message). */
  notice: string | null;
  error: string | null;
  /** The version to point at (just registered from run details), if any. */
  focusedVersion: string | null;
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
      this._set({ runs: {} }); // a refresh reads lineage afresh too
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

  set canInsert(value: boolean) {
    if (value !== this._state.canInsert) {
      this._set({ canInsert: value });
    }
  }

  /** Show `name` with `version` pointed at (e.g. the version just registered). */
  async reveal(name: string, version: string | null): Promise<void> {
    this._set({ selected: name, focusedVersion: version, notice: null, error: null });
    await this.refresh();
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
    await this._loadRuns(detail);
  }

  /** The source runs not read yet, read through the typed service (`getRun`). */
  private async _loadRuns(detail: IModelDetail): Promise<void> {
    const ids = [...new Set(detail.versions.map(v => v.run_id))].filter(
      (id): id is string => !!id && !(id in this._state.runs)
    );
    const read = await Promise.all(
      ids.map(id =>
        this._service.getRun(id).then(
          run => [id, run] as const,
          (reason: Error) => [id, reason.message] as const
        )
      )
    );
    if (read.length) {
      this._set({ runs: { ...this._state.runs, ...Object.fromEntries(read) } });
    }
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
    runs: {},
    canInsert: false,
    busy: false,
    notice: null,
    error: null,
    focusedVersion: null
  };
}
