// The run's name in the details header, renamed in place: double-click it, press F2 on it,
// or "Rename"; Enter saves, Escape cancels.
import * as React from 'react';

export function RunName(props: {
  name: string;
  runId: string;
  onRename: (name: string) => Promise<boolean>;
}): React.ReactElement {
  const [draft, setDraft] = React.useState<string | null>(null);
  const finish = async (value: string | null): Promise<void> => {
    if (value === null || !value.trim() || value === props.name) {
      setDraft(null);
    } else if (await props.onRename(value)) {
      setDraft(null);
    }
  };
  if (draft !== null) {
    return (
      <input
        className="lt-Input lt-RunDetails-nameInput"
        data-testid="labtrack-run-name-input"
        aria-label="Run name"
        autoFocus
        value={draft}
        onFocus={event => event.currentTarget.select()}
        onChange={event => setDraft(event.target.value)}
        onKeyDown={event => {
          event.stopPropagation();
          if (event.key === 'Enter') {
            void finish(event.currentTarget.value);
          } else if (event.key === 'Escape') {
            setDraft(null);
          }
        }}
        onBlur={event => void finish(event.currentTarget.value)}
      />
    );
  }
  return (
    <>
      <h1
        className="lt-RunDetails-name"
        data-testid="labtrack-run-name"
        tabIndex={0}
        title="Double-click or F2 to rename"
        onDoubleClick={() => setDraft(props.name)}
        onKeyDown={event => {
          if (event.key === 'F2') {
            event.preventDefault();
            setDraft(props.name);
          }
        }}
      >
        {props.name || props.runId}
      </h1>
      <button
        type="button"
        className="lt-LinkButton lt-RunDetails-rename"
        data-testid="labtrack-run-rename"
        onClick={() => setDraft(props.name)}
      >
        Rename
      </button>
    </>
  );
}
