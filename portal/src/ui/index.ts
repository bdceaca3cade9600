/**
 * The portal's component kit. Accessible by default: every control has a visible label, errors and hints are
 * tied to their field, dialogs are native <dialog>s, toasts use one live region. Styles are classes from
 * ui.css (the CSP forbids inline styles: never pass `style`).
 *
 *   <form onSubmit={…}>
 *     <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required />
 *     <ErrorBanner message={error} />
 *     <Button type="submit" variant="primary" busy={saving}>Save</Button>
 *   </form>
 */
export { Button } from "./Button";
export type { ButtonProps, ButtonVariant } from "./Button";
export { Checkbox, PasswordField, RadioGroup, SelectField, TextAreaField, TextField } from "./fields";
export { Badge, Callout, EmptyState, ErrorBanner, Loading, PageHeader, messageOf } from "./feedback";
export { ConfirmDialog, Dialog } from "./Dialog";
export { FormFooter } from "./FormFooter";
export { Table } from "./Table";
export type { Column } from "./Table";
export { ToastProvider, useToast } from "./Toasts";
export type { ToastTone } from "./Toasts";
