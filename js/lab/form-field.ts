/**
 * One labelled line of a dialog form: the label's text, then its control, inside a
 * <label> so that a click on the text focuses the control. The Runs panel's tag form,
 * run details' register form and the Models panel's promote form are built of these.
 */
export function appendField(
  form: HTMLElement,
  label: string,
  control: HTMLElement,
  rowClass = 'lt-FormField'
): void {
  const doc = form.ownerDocument;
  const row = doc.createElement('label');
  row.className = rowClass;
  row.append(doc.createTextNode(label), control);
  form.append(row);
}
