// The run's tags: a person's own ones editable in place (add, change a value, remove), the
// system tags MLflow and labtrack write listed apart, read-only. Every string is React text.
import * as React from 'react';

import { IRunDetail } from '../tokens';
import { KeyValues, Section, isSystemTag } from './sections';

export interface ITagActions {
  setTag: (key: string, value: string) => Promise<boolean>;
  deleteTag: (key: string) => Promise<boolean>;
}

export function TagsSection(props: { detail: IRunDetail; actions: ITagActions }): React.ReactElement {
  const tags = Object.entries(props.detail.tags).sort(([a], [b]) => a.localeCompare(b));
  const user = tags.filter(([key]) => !isSystemTag(key));
  const system = tags.filter(([key]) => isSystemTag(key));
  return (
    <Section title="Tags" testid="labtrack-run-tags">
      {user.length === 0 && <div className="lt-Muted">No user tags</div>}
      {user.length > 0 && (
        <table className="lt-KeyValues lt-TagTable">
          <tbody>
            {user.map(([key, value]) => (
              <TagRow key={key} name={key} value={value} actions={props.actions} />
            ))}
          </tbody>
        </table>
      )}
      <NewTag actions={props.actions} />
      {system.length > 0 && (
        <details className="lt-SystemTags" data-testid="labtrack-run-system-tags">
          <summary>System tags ({system.length})</summary>
          <KeyValues entries={system.map(([k, v]) => [k, <code>{v}</code>])} empty="" />
        </details>
      )}
    </Section>
  );
}

function TagRow(props: { name: string; value: string; actions: ITagActions }): React.ReactElement {
  const [draft, setDraft] = React.useState<string | null>(null);
  const save = async (): Promise<void> => {
    if (draft !== null && (draft === props.value || (await props.actions.setTag(props.name, draft)))) {
      setDraft(null);
    }
  };
  return (
    <tr data-tag={props.name}>
      <th scope="row">{props.name}</th>
      <td>
        {draft === null ? (
          <span className="lt-TagTable-value" onDoubleClick={() => setDraft(props.value)}>
            {props.value}
          </span>
        ) : (
          <input
            className="lt-Input lt-TagTable-input"
            aria-label={`Value of ${props.name}`}
            data-testid="labtrack-tag-edit-value"
            autoFocus
            value={draft}
            onChange={event => setDraft(event.target.value)}
            onKeyDown={event => {
              event.stopPropagation();
              if (event.key === 'Enter') {
                void save();
              } else if (event.key === 'Escape') {
                setDraft(null);
              }
            }}
            onBlur={() => void save()}
          />
        )}
      </td>
      <td className="lt-TagTable-actions">
        <button
          type="button"
          className="lt-IconText"
          title={`Edit ${props.name}`}
          aria-label={`Edit tag ${props.name}`}
          data-testid="labtrack-tag-edit"
          onClick={() => setDraft(props.value)}
        >
          ✎
        </button>
        <button
          type="button"
          className="lt-IconText"
          title={`Remove ${props.name}`}
          aria-label={`Remove tag ${props.name}`}
          data-testid="labtrack-tag-remove"
          onClick={() => void props.actions.deleteTag(props.name)}
        >
          ×
        </button>
      </td>
    </tr>
  );
}

function NewTag({ actions }: { actions: ITagActions }): React.ReactElement {
  const [key, setKey] = React.useState('');
  const [value, setValue] = React.useState('');
  const add = async (): Promise<void> => {
    if (key.trim() && (await actions.setTag(key.trim(), value))) {
      setKey('');
      setValue('');
    }
  };
  return (
    <form
      className="lt-NewTag"
      onSubmit={event => {
        event.preventDefault();
        void add();
      }}
    >
      <input
        className="lt-Input"
        placeholder="key"
        aria-label="New tag key"
        data-testid="labtrack-new-tag-key"
        value={key}
        onChange={event => setKey(event.target.value)}
      />
      <input
        className="lt-Input"
        placeholder="value"
        aria-label="New tag value"
        data-testid="labtrack-new-tag-value"
        value={value}
        onChange={event => setValue(event.target.value)}
      />
      <button
        type="submit"
        className="jp-Button jp-mod-styled jp-mod-accept"
        data-testid="labtrack-new-tag-add"
        disabled={!key.trim()}
      >
        Add tag
      </button>
    </form>
  );
}
