// One-line messages a redirect can ask the next page to show (?notice=…),
// so a message never travels as free text in a URL.
export const NOTICES = {
  "email-confirmed": { tone: "success", text: "Your email is confirmed. Sign in to continue." },
  "password-updated": { tone: "success", text: "Your password was changed. You're signed in." },
  "signed-out": { tone: "info", text: "You're signed out." },
  "signed-out-everywhere": { tone: "info", text: "You're signed out on every device." },
  "account-deleted": { tone: "info", text: "Your account and all its data were deleted." },
  "link-invalid": { tone: "error", text: "That link has expired or was already used. Ask for a new one below." },
  "session-ended": { tone: "info", text: "Your session has ended. Sign in again." },
  "mt5-connected": { tone: "success", text: "Your MT5 account is connected. Positions and trades appear here as they sync." },
} as const satisfies Record<string, { tone: "success" | "info" | "error"; text: string }>;

export type NoticeKey = keyof typeof NOTICES;

export function noticeFrom(value: string | null): (typeof NOTICES)[NoticeKey] | null {
  return value && value in NOTICES ? NOTICES[value as NoticeKey] : null;
}
