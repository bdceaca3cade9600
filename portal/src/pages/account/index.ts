/** The account pages, loaded together on first use: log in, create account, unlock, the invitations, the email
 * verification link and the update of a recovered account's temporary password. */
export { LoginPage } from "./LoginPage";
export { RegisterPage } from "./RegisterPage";
export { UnlockPage } from "./UnlockPage";
export { AcceptOrganizationPage, AcceptProviderPage, SetupProviderPage } from "./InvitePage";
export { VerifyEmailPage } from "./VerifyEmailPage";
export { UpdateTempPasswordPage } from "./UpdateTempPasswordPage";
