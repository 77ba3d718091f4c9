import * as React from 'react';

import { caretDownIcon, caretRightIcon, fileIcon, folderIcon } from '@jupyterlab/ui-components';

import { ArtifactTreeModel, IArtifactPreview, IArtifactRow } from './artifacts';
import { formatBytes, TEXT_PREVIEW_BYTES } from './preview';
import { DelimitedTable, HtmlFrame } from './table-preview';

/** Move focus, expand, collapse or open the way a file tree does (WAI-ARIA tree pattern). */
function onTreeKey(
  event: React.KeyboardEvent,
  model: ArtifactTreeModel,
  rows: IArtifactRow[]
): void {
  const index = rows.findIndex(row => row.entry.path === model.focused);
  const row = rows[index];
  const go = (next: number): void => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, next))];
    if (target) {
      model.focus(target.entry.path);
    }
  };
  switch (event.key) {
    case 'ArrowDown':
      go(index + 1);
      break;
    case 'ArrowUp':
      go(index < 0 ? 0 : index - 1);
      break;
    case 'Home':
      go(0);
      break;
    case 'End':
      go(rows.length - 1);
      break;
    case 'ArrowRight':
      if (row?.entry.is_dir) {
        if (model.isExpanded(row.entry.path)) {
          go(index + 1);
        } else {
          void model.toggle(row.entry.path);
        }
      }
      break;
    case 'ArrowLeft':
      if (row?.entry.is_dir && model.isExpanded(row.entry.path)) {
        void model.toggle(row.entry.path);
      } else if (row?.parent) {
        model.focus(row.parent);
      }
      break;
    case 'Enter':
    case ' ':
      if (row) {
        activate(model, row);
      }
      break;
    default:
      return;
  }
  event.preventDefault();
}

function activate(model: ArtifactTreeModel, row: IArtifactRow): void {
  if (row.more) {
    void model.loadMore(row.parent);
  } else {
    void (row.entry.is_dir ? model.toggle(row.entry.path) : model.select(row.entry.path));
  }
}

export function ArtifactTree({ model }: { model: ArtifactTreeModel }): React.ReactElement {
  const rows = model.rows();
  const root = model.dir('');
  const treeRef = React.useRef<HTMLUListElement>(null);
  const focused = model.focused ?? rows[0]?.entry.path ?? null;
  React.useEffect(() => {
    // Keep DOM focus on the focused row while the tree has focus (roving tabindex).
    const tree = treeRef.current;
    if (tree && tree.contains(document.activeElement) && model.focused) {
      tree.querySelector<HTMLElement>(`[data-path="${CSS.escape(model.focused)}"]`)?.focus();
    }
  });
  if (!root || (root.loading && !root.entries)) {
    return <div className="lt-Muted">Listing artifacts…</div>;
  }
  if (root.error) {
    return <div className="lt-Error">{root.error}</div>;
  }
  if (!rows.length) {
    return <div className="lt-Muted">No artifacts</div>;
  }
  return (
    <ul
      ref={treeRef}
      className="lt-ArtifactTree"
      role="tree"
      aria-label="Artifacts"
      data-testid="labtrack-artifact-tree"
      onKeyDown={event => onTreeKey(event, model, rows)}
    >
      {rows.map(row => {
        const { entry, depth } = row;
        const expanded = entry.is_dir ? model.isExpanded(entry.path) : undefined;
        const selected = model.preview?.path === entry.path;
        const dir = entry.is_dir ? model.dir(entry.path) : undefined;
        const Caret = expanded ? caretDownIcon : caretRightIcon;
        const Icon = entry.is_dir ? folderIcon : fileIcon;
        return (
          <li
            key={entry.path}
            className={`lt-ArtifactTree-item${selected ? ' lt-mod-selected' : ''}`}
            role="treeitem"
            aria-level={depth + 1}
            aria-expanded={expanded}
            aria-selected={selected}
            tabIndex={entry.path === focused ? 0 : -1}
            data-path={entry.path}
            style={{ paddingLeft: `${4 + depth * 16}px` }}
            onFocus={() => model.focus(entry.path)}
            data-testid={row.more ? 'labtrack-artifact-more' : undefined}
            onClick={() => activate(model, row)}
          >
            {entry.is_dir ? (
              <Caret.react tag="span" className="lt-ArtifactTree-caret" />
            ) : (
              <span className="lt-ArtifactTree-caret" />
            )}
            <Icon.react tag="span" className="lt-ArtifactTree-icon" />
            <span className="lt-ArtifactTree-name">{entry.name}</span>
            {dir?.loading && <span className="lt-Muted"> …</span>}
            {dir?.error && <span className="lt-Error"> {dir.error}</span>}
            <span className="lt-ArtifactTree-size">{formatBytes(entry.size)}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** The chosen file: an image, escaped text, a table, HTML in a script-free sandbox, or a
 * download link. Nothing is interpreted as HTML in the page itself. */
export function ArtifactPreview({
  preview
}: {
  preview: IArtifactPreview | null;
}): React.ReactElement {
  if (!preview) {
    return <div className="lt-Muted lt-ArtifactPreview-empty">Select a file to preview it</div>;
  }
  const download = (
    <a
      className="lt-ArtifactPreview-download"
      href={preview.downloadUrl}
      download={preview.name}
      data-testid="labtrack-artifact-download"
    >
      Download {preview.name}
    </a>
  );
  let body: React.ReactNode = null;
  if (preview.phase === 'loading') {
    body = <div className="lt-Muted">Loading…</div>;
  } else if (preview.phase === 'failed') {
    body = <div className="lt-Error">{preview.error}</div>;
  } else if (preview.kind === 'image' && preview.objectUrl) {
    body = (
      <img
        className="lt-ArtifactPreview-image"
        src={preview.objectUrl}
        alt={preview.name}
        data-testid="labtrack-artifact-image"
      />
    );
  } else if (preview.kind === 'table' && preview.table) {
    body = <DelimitedTable table={preview.table} />;
  } else if (preview.kind === 'html' && preview.frameUrl) {
    body = <HtmlFrame url={preview.frameUrl} name={preview.name} />;
  } else if (preview.kind === 'text' && preview.text) {
    body = (
      <>
        {preview.text.truncated && (
          <div className="lt-Muted" data-testid="labtrack-artifact-truncated">
            Showing the first {formatBytes(TEXT_PREVIEW_BYTES)}; download the file for the rest.
          </div>
        )}
        <pre className="lt-ArtifactPreview-text" data-testid="labtrack-artifact-text">
          {preview.text.text}
        </pre>
      </>
    );
  } else {
    body = <div className="lt-Muted">No preview for this kind of file.</div>;
  }
  return (
    <div className="lt-ArtifactPreview" data-testid="labtrack-artifact-preview">
      <div className="lt-ArtifactPreview-header">
        <code className="lt-ArtifactPreview-path" data-testid="labtrack-artifact-path">
          {preview.path}
        </code>
        {download}
      </div>
      {body}
    </div>
  );
}
