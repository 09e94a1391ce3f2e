// One schema per authentication form; the page validates with it before
// submitting and the action validates again with the same schema.
import * as z from "zod/mini";
import { browserTimeZoneField, currentPasswordField, emailField, fullNameField, newPasswordField, redirectToField } from "./fields.ts";

export const signUpSchema = z.object({
  fullName: fullNameField,
  email: emailField,
  password: newPasswordField,
  timeZone: browserTimeZoneField,
  redirectTo: redirectToField,
});

export const signInSchema = z.object({
  email: emailField,
  password: currentPasswordField,
  redirectTo: redirectToField,
});

/** "Resend the confirmation email" next to an email_not_confirmed error. */
export const resendConfirmationSchema = z.object({
  email: emailField,
});

export const forgotPasswordSchema = z.object({
  email: emailField,
});

export const resetPasswordSchema = z
  .object({
    password: newPasswordField,
    confirmPassword: z.string({ error: "Type the password again." }).check(z.minLength(1, "Type the password again.")),
  })
  .check(
    z.refine((form) => form.password === form.confirmPassword, {
      path: ["confirmPassword"],
      message: "The two passwords don't match.",
    }),
  );

export const signOutSchema = z.object({
  scope: z._default(z.enum(["local", "global"]), "local"),
});
