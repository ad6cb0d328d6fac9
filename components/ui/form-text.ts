/** A text field's value from form data; "" when the field is absent (text inputs never hold a File). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
