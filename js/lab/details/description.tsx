// A run's description: MLflow's `mlflow.note.content`, Markdown rendered safely (see
// markdown.ts), edited in place — "Edit" or a double-click, Ctrl+Enter saves, Escape cancels.
import * as React from 'react';

import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { renderMarkdown } from './markdown';
import { Section } from './sections';

export const NOTE_TAG = 'mlflow.note.content';

export function DescriptionSection(props: {
  text: string;
  sanitizer: IRenderMime.ISanitizer;
  onSave: (text: string) => Promise<boolean>;
}): React.ReactElement {
  const [draft, setDraft] = React.useState<string | null>(null);
  const [saving, setSaving] = React.useState(false);
  const html = React.useMemo(
    () => (props.text ? renderMarkdown(props.text, props.sanitizer) : ''),
    [props.text, props.sanitizer]
  );
  const save = async (): Promise<void> => {
    if (draft === null || saving) {
      return;
    }
    setSaving(true);
    const saved = await props.onSave(draft);
    setSaving(false);
    if (saved) {
      setDraft(null);
    }
  };
  return (
    <Section title="Description" testid="labtrack-run-description" wide>
      {draft === null ? (
        <>
          {html ? (
            <div
              className="lt-Markdown"
              data-testid="labtrack-description-text"
              title="Double-click to edit"
              onDoubleClick={() => setDraft(props.text)}
              // Sanitised: raw HTML is text, links are http(s)/mailto and open apart.
              dangerouslySetInnerHTML={{ __html: html }}
            />
          ) : (
            <div className="lt-Muted">No description yet. It is shown in MLflow’s UI too.</div>
          )}
          <button
            type="button"
            className="lt-LinkButton"
            data-testid="labtrack-description-edit"
            onClick={() => setDraft(props.text)}
          >
            {props.text ? 'Edit description' : 'Add a description'}
          </button>
        </>
      ) : (
        <div className="lt-DescriptionEditor">
          <textarea
            className="lt-Input lt-DescriptionEditor-input"
            data-testid="labtrack-description-input"
            aria-label="Description (Markdown)"
            placeholder="Why this run, what changed, what it showed (Markdown)"
            autoFocus
            rows={Math.min(14, Math.max(4, draft.split('\n').length + 1))}
            value={draft}
            onChange={event => setDraft(event.target.value)}
            onKeyDown={event => {
              event.stopPropagation();
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                void save();
              } else if (event.key === 'Escape') {
                setDraft(null);
              }
            }}
          />
          <div className="lt-DescriptionEditor-actions">
            <span className="lt-Muted">Markdown · Ctrl+Enter saves · Escape cancels</span>
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-reject"
              onClick={() => setDraft(null)}
            >
              Cancel
            </button>
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-accept"
              data-testid="labtrack-description-save"
              disabled={saving}
              onClick={() => void save()}
            >
              Save
            </button>
          </div>
        </div>
      )}
    </Section>
  );
}
