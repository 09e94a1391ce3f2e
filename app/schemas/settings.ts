// One schema per Settings → Profile form, shared by the page and its action.
import * as z from "zod/mini";
import { currentPasswordField, fullNameField, isTimeZone, newPasswordField, timeZoneField } from "./fields.ts";

const hourMessage = "Choose an hour between 00:00 and 23:00.";

export const profileSchema = z.object({
  fullName: fullNameField,
  timeZone: timeZoneField,
  tradingDayStartHour: z.coerce
    .number({ error: "Choose an hour." })
    .check(z.refine(Number.isInteger, "Choose a whole hour."), z.gte(0, hourMessage), z.lte(23, hourMessage)),
  // Whose clock the trading day follows: "" = the user's own time zone, or a named zone (17:00 New York for forex).
  tradingDayTimeZone: z
    .pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined) => (value ? value.trim() : "")),
    )
    .check(z.refine((value: string) => value === "" || isTimeZone(value), { message: "Choose a clock from the list.", path: [] })),
});

export const changePasswordSchema = z
  .object({
    currentPassword: currentPasswordField,
    newPassword: newPasswordField,
    confirmPassword: z.string({ error: "Type the new password again." }).check(z.minLength(1, "Type the new password again.")),
  })
  .check(
    z.refine((form) => form.newPassword === form.confirmPassword, {
      path: ["confirmPassword"],
      message: "The two passwords don't match.",
    }),
  );

/** Typing the phrase is the confirmation; nothing else is needed. */
export const DELETE_CONFIRMATION = "delete my account";

export const deleteAccountSchema = z.object({
  confirmation: z.string({ error: `Type "${DELETE_CONFIRMATION}" to confirm.` }).check(
    z.trim(),
    z.refine((value: string) => value.toLowerCase() === DELETE_CONFIRMATION, `Type "${DELETE_CONFIRMATION}" to confirm.`),
  ),
});
