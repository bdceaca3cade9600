/** What the provider pages share beyond the kit: the not-found page (the same as the app's, so ids do not leak). */
export { NotFoundPage as NotFound } from "../../app/NotFoundPage";
