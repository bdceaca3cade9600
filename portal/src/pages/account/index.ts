/** The account pages, loaded together on first use: log in, create account, unlock, the invitations and the email verification link. */
export { LoginPage } from "./LoginPage";
export { RegisterPage } from "./RegisterPage";
export { UnlockPage } from "./UnlockPage";
export { AcceptOrganizationPage, AcceptProviderPage, SetupProviderPage } from "./InvitePage";
export { VerifyEmailPage } from "./VerifyEmailPage";
