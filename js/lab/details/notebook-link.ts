import { Contents } from '@jupyterlab/services';

import { IRunDetail } from '../tokens';
import { INotebookLink, NotebookLocator } from './model';

/** Tags naming the notebook, as the kernel saw it: labtrack's own first, then MLflow's. */
const NOTEBOOK_TAGS = ['labtrack.notebook.path', 'mlflow.source.name'];
export const CELL_ID_TAG = 'labtrack.cell.id';

export function notebookTagOf(detail: IRunDetail): string | null {
  for (const tag of NOTEBOOK_TAGS) {
    const value = detail.tags[tag];
    if (value && value.endsWith('.ipynb')) {
      return value;
    }
  }
  return null;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/**
 * Contents paths (relative to the server root) the kernel's notebook path may be, best first.
 *
 * The kernel records an absolute filesystem path; the contents API wants a path under the
 * server root. The root comes from the page config, where Jupyter writes `~/…` for folders
 * under the home directory (whose absolute path the browser does not know). So: strip the
 * root when it is a prefix; for a `~` root, find the root's tail inside the path; then fall
 * back to ever shorter tails of the path (the file might be reached through another mount).
 */
export function candidatePaths(notebook: string, serverRoot: string): string[] {
  const path = notebook.replace(/\\/g, '/');
  const root = serverRoot.replace(/\\/g, '/').replace(/\/+$/, '');
  const found: string[] = [];
  const add = (candidate: string): void => {
    const clean = trimSlashes(candidate);
    if (clean && !found.includes(clean)) {
      found.push(clean);
    }
  };
  if (!path.startsWith('/') && !/^[A-Za-z]:\//.test(path)) {
    add(path); // already relative: the kernel ran in the server root
  }
  if (root && !root.startsWith('~') && path.startsWith(`${root}/`)) {
    add(path.slice(root.length + 1));
  } else if (root === '' || root === '/') {
    add(path);
  } else if (root.startsWith('~')) {
    const tail = root.slice(1); // '' for the home directory itself, else '/folder/…'
    const at = tail ? path.indexOf(`${tail}/`) : -1;
    if (at >= 0) {
      add(path.slice(at + tail.length + 1));
    }
  }
  const parts = trimSlashes(path).split('/');
  for (let i = 1; i < parts.length; i++) {
    add(parts.slice(i).join('/'));
  }
  return found;
}

/** A locator that asks the contents API which candidate exists (metadata only). */
export function contentsLocator(contents: Contents.IManager, serverRoot: string): NotebookLocator {
  return async (detail: IRunDetail): Promise<INotebookLink> => {
    const tagged = notebookTagOf(detail);
    if (!tagged) {
      return { phase: 'missing', path: null, reason: 'This run was not recorded from a notebook' };
    }
    for (const candidate of candidatePaths(tagged, serverRoot)) {
      try {
        const model = await contents.get(candidate, { content: false });
        if (model.type === 'notebook') {
          return { phase: 'found', path: model.path, reason: '' };
        }
      } catch {
        // Not there: try the next candidate.
      }
    }
    return {
      phase: 'missing',
      path: null,
      reason: `${tagged} is not under this server's root folder`
    };
  };
}
