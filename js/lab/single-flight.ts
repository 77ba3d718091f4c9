/**
 * Runs one asynchronous job at a time. A call made while the job is in flight joins it
 * rather than starting a second request: a poll tick, a button press and a panel being
 * shown can all ask for a refresh at once without racing each other's answers.
 */
export class SingleFlight {
  constructor(job: () => Promise<void>) {
    this._job = job;
  }

  /** Whether a job is in flight now. */
  get busy(): boolean {
    return this._inFlight !== null;
  }

  /** Start the job, or join the one in flight. Settles as the job does. */
  run(): Promise<void> {
    if (!this._inFlight) {
      this._inFlight = this._job().finally(() => {
        this._inFlight = null;
      });
    }
    return this._inFlight;
  }

  private readonly _job: () => Promise<void>;
  private _inFlight: Promise<void> | null = null;
}
