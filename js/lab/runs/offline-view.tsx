import * as React from 'react';

import { IOfflineBacklog, ISyncOutcome } from '../tokens';
import { ISyncState } from './model';
import { backlogSentence, formatCount, hasBacklog, otherWrites } from './offline';

/** A cloud with a slash: "not on the server". Drawn in the text colour around it. */
export function CloudOffIcon(): React.ReactElement {
  return (
    <svg
      className="lt-CloudOff"
      width="14"
      height="14"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M7 18h10.5a3.5 3.5 0 0 0 .9-6.9A6 6 0 0 0 7.3 9.2 4.5 4.5 0 0 0 7 18z" />
      <path d="M3 3l18 18" />
    </svg>
  );
}

/** The "not synced" mark of a row: icon and text, the tooltip says why and what to do. */
export function UnsyncedMark({ tooltip }: { tooltip: string }): React.ReactElement {
  return (
    <span className="lt-Unsynced" title={tooltip} data-testid="labtrack-unsynced-mark">
      <CloudOffIcon />
      <span className="lt-Unsynced-text">not synced</span>
      <span className="lt-VisuallyHidden">: {tooltip}</span>
    </span>
  );
}

export interface IOfflineBannerProps {
  backlog: IOfflineBacklog | null;
  sync: Readonly<ISyncState>;
  onSync: () => void;
  onDismiss: () => void;
}

/** Above the Runs table: what waits to be sent to the server, and "Sync now". Shown
 * while something waits, or while the last sync's result is there to read. */
export function OfflineBanner(props: IOfflineBannerProps): React.ReactElement | null {
  const { backlog, sync } = props;
  const waiting = hasBacklog(backlog);
  if (!waiting && sync.phase === 'idle') {
    return null;
  }
  const syncing = sync.phase === 'syncing';
  const server = backlog?.server ?? sync.outcome?.server ?? 'the tracking server';
  const sentence = waiting
    ? backlogSentence(backlog)
    : `Nothing waits to be sent to ${server}.`;
  return (
    <section
      className={`lt-Offline${waiting ? ' lt-mod-waiting' : ''}`}
      aria-label="Not synced with the tracking server"
      data-testid="labtrack-offline"
    >
      <div className="lt-Offline-head">
        {waiting ? (
          <CloudOffIcon />
        ) : (
          <span className="lt-Offline-done" aria-hidden="true">
            ✓
          </span>
        )}
        <span className="lt-Offline-summary" data-testid="labtrack-offline-summary">
          {sentence}
        </span>
      </div>
      <div className="lt-Offline-actions">
        {waiting && (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-accept lt-Offline-sync"
            data-testid="labtrack-sync-now"
            disabled={syncing}
            aria-busy={syncing}
            onClick={props.onSync}
          >
            {syncing ? 'Syncing…' : 'Sync now'}
          </button>
        )}
        {(sync.phase === 'done' || sync.phase === 'failed') && (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject lt-Offline-dismiss"
            data-testid="labtrack-sync-dismiss"
            onClick={props.onDismiss}
          >
            Dismiss
          </button>
        )}
      </div>
      {waiting && <WaitingList backlog={backlog} />}
      <div className="lt-Offline-result" aria-live="polite" data-testid="labtrack-sync-result">
        {syncing && (
          <span className="lt-Offline-progress" role="status">
            <span className="lt-Offline-spinner" aria-hidden="true" />
            Sending to {server}…
          </span>
        )}
        {sync.phase === 'failed' && (
          <p className="lt-Offline-problem" role="alert">
            The sync request failed: {sync.error}
          </p>
        )}
        {sync.phase === 'done' && sync.outcome && <SyncResult outcome={sync.outcome} />}
      </div>
    </section>
  );
}

function WaitingList({ backlog }: { backlog: IOfflineBacklog }): React.ReactElement {
  return (
    <details className="lt-Offline-details">
      <summary>What waits</summary>
      <ul className="lt-Offline-list">
        {backlog.unsynced.map(run => (
          <li key={run.run_id} data-run-id={run.run_id}>
            <span className="lt-Offline-name">{run.run_name || run.run_id}</span> in{' '}
            {run.experiment_name} · {run.status} · {formatCount(run.points)} point
            {run.points === 1 ? '' : 's'}
          </li>
        ))}
        {backlog.journals.map(journal => (
          <li key={journal.run_ids.join(',')}>
            run {journal.run_ids.map(id => id.slice(0, 8)).join(', ')} (on the server) owes{' '}
            {formatCount(journal.points)} point{journal.points === 1 ? '' : 's'}
            {journal.operations > 0 ? ` and ${otherWrites(journal.operations)}` : ''}
          </li>
        ))}
      </ul>
    </details>
  );
}

function SyncResult({ outcome }: { outcome: ISyncOutcome }): React.ReactElement {
  if (!outcome.reachable) {
    return (
      <p className="lt-Offline-problem" role="alert" data-testid="labtrack-sync-unreachable">
        {outcome.server} is unreachable ({outcome.reason ?? 'no answer'}); nothing was sent.
        Try again once it answers.
      </p>
    );
  }
  const nothing =
    outcome.synced.length === 0 &&
    outcome.notes.length === 0 &&
    outcome.still_running.length === 0 &&
    outcome.problems.length === 0;
  return (
    <ul className="lt-Offline-outcome">
      {outcome.synced.map(run => (
        <li key={run.offline_run_id} className="lt-mod-sent" data-testid="labtrack-sync-sent">
          Sent {run.run_name || run.offline_run_id} ({run.status}, {formatCount(run.points)} point
          {run.points === 1 ? '' : 's'}
          {run.models > 0 ? `, ${formatCount(run.models)} model${run.models === 1 ? '' : 's'}` : ''}
          ): offline id <code>{run.offline_run_id.slice(0, 8)}</code> →
          server id <code title={run.server_run_id}>{run.server_run_id.slice(0, 8)}</code>
        </li>
      ))}
      {outcome.notes.map(note => (
        <li key={note}>{note}</li>
      ))}
      {outcome.still_running.map(runId => (
        <li key={runId}>
          Run <code>{runId.slice(0, 8)}</code> is still running; it is sent after it ends.
        </li>
      ))}
      {outcome.problems.map(problem => (
        <li key={problem} className="lt-Offline-problem" role="alert">
          {problem}
        </li>
      ))}
      {nothing && <li>Nothing to send: every run is on {outcome.server}.</li>}
    </ul>
  );
}
