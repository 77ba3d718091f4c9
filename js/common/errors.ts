// Shared by the JupyterLab panels (js/lab/) and the widget bundle (js/widgets/).

/** What to tell a person about a failure: an Error's message, else the value as text. */
export function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
