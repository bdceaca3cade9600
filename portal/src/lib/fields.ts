// Field rules the pages check before sending, as the services check them: names of at most 50 characters
// (Bitwarden's limit) and an email address with a domain part.

export const NAME_MAX = 50;

/** One address: something, "@", a domain with a dot. */
export const EMAIL_ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
