// Field rules shared by the forms. Messages are written for the person typing.
// zod/mini, not classic zod: these schemas also run in the browser, and the
// mini build is a fraction of the size.
import * as z from "zod/mini";

export const emailField = z.pipe(
  z
    .string({ error: "Enter your email address." })
    .check(z.trim(), z.minLength(1, "Enter your email address."), z.maxLength(254, "That email address is too long.")),
  z.email("Enter a valid email address, like name@example.com.").check(z.toLowerCase()),
);

/** GoTrue refuses more than 72 characters (bcrypt's limit). */
export const newPasswordField = z
  .string({ error: "Choose a password." })
  .check(z.minLength(8, "Use at least 8 characters."), z.maxLength(72, "Use at most 72 characters."));

export const currentPasswordField = z.string({ error: "Enter your password." }).check(z.minLength(1, "Enter your password."));

export const fullNameField = z
  .string({ error: "Enter your name." })
  .check(z.trim(), z.minLength(1, "Enter your name."), z.maxLength(120, "Keep your name under 120 characters."));

/** IANA zone names as the database accepts them ("Europe/London", "UTC"). */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneField = z.string({ error: "Choose a time zone." }).check(z.trim(), z.refine(isTimeZone, "Choose a time zone from the list."));

/** Filled in by the browser; a missing or odd value falls back to UTC rather than failing sign-up. */
export const browserTimeZoneField = z.pipe(
  z.optional(z.string()),
  z.transform((value: string | undefined) => (value && isTimeZone(value) ? value : undefined)),
);

/** The redirect target travels as a hidden field; safeRedirect() judges it on the server. */
export const redirectToField = z.optional(z.string().check(z.maxLength(2048)));
