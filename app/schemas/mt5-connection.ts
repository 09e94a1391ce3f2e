// The forms that hand an MT5 investor password to the app: connecting a new
// account and reconnecting one. One schema each, checked by the page before
// submitting and by the action, always. The password is never trimmed or
// echoed back (refillValues drops every field named like a password).
import * as z from "zod/mini";
import { isServerTimeZone } from "./account.ts";

/** The time-zone choice that lets the first check's measured server clock decide. */
export const DETECT_TIME_ZONE = "auto";

const text = z.pipe(
  z.optional(z.string()),
  z.transform((value: string | undefined) => (value ?? "").trim()),
);

// Server names as brokers publish them: "ICMarketsSC-Demo", "FTMO-Server3", "Pepperstone-Edge Live 02".
const SERVER_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._()&+-]*$/u;

export const serverField = z.pipe(
  text,
  z.string().check(
    z.minLength(1, "Enter the server name, like ICMarketsSC-Demo."),
    z.maxLength(120, "That server name is too long (120 characters at most)."),
    z.refine(
      (value: string) => value === "" || SERVER_NAME.test(value),
      "Type the server name as MT5 shows it: letters, digits, spaces, dots and dashes.",
    ),
  ),
);

export const loginField = z.pipe(
  z.pipe(
    text,
    z.transform((value: string) => value.replace(/\s+/g, "")),
  ),
  z.string().check(
    z.minLength(1, "Enter your MT5 login, the account number."),
    z.refine((value: string) => value === "" || /^\d+$/.test(value), "The login is the account number: digits only."),
    z.refine(
      (value: string) => !/^\d+$/.test(value) || (value.replace(/^0+/, "").length > 0 && value.replace(/^0+/, "").length <= 18),
      "That login number isn't valid.",
    ),
  ),
);

export const investorPasswordField = z.pipe(
  z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined) => value ?? ""),
  ),
  z.string().check(
    z.refine((value: string) => value.trim().length > 0, "Enter the investor (read-only) password."),
    z.maxLength(128, "That password is too long."),
  ),
);

export const connectMt5Schema = z.object({
  server: serverField,
  login: z.pipe(
    loginField,
    z.transform((value: string) => value.replace(/^0+/, "")),
  ),
  investorPassword: investorPasswordField,
  name: z.pipe(text, z.string().check(z.maxLength(80, "Keep the name under 80 characters."))),
  serverTimeZone: z.pipe(
    z.pipe(
      text,
      z.transform((value: string) => value || DETECT_TIME_ZONE),
    ),
    z
      .string()
      .check(
        z.refine(
          (value: string) => value === DETECT_TIME_ZONE || isServerTimeZone(value),
          "Choose the broker's server time zone from the list, or let us detect it.",
        ),
      ),
  ),
});

export type ConnectMt5Input = z.output<typeof connectMt5Schema>;

export const reconnectMt5Schema = z.object({
  investorPassword: investorPasswordField,
});

export type ReconnectMt5Input = z.output<typeof reconnectMt5Schema>;

export const disconnectMt5Schema = z.object({
  confirmed: z.literal("yes", { error: "Tick the box to confirm that sync stops and the stored password is deleted." }),
});
