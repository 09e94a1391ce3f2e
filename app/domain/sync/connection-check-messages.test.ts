import { describe, expect, it } from "vitest";
import { connectionRefusal, isConnectionFailure } from "./connection-check-messages.ts";

const typed = { server: "ICMarketsSC-Demo", login: "51234567" };

describe("connectionRefusal", () => {
  it("points a wrong login at the password field and names what was typed", () => {
    const refusal = connectionRefusal("auth_failed", typed);
    expect(refusal.field).toBe("investorPassword");
    expect(refusal.message).toBe(
      "MT5 refused the login 51234567 on ICMarketsSC-Demo. Check the login number, the server name and the investor password, then try again. Nothing was saved.",
    );
    expect(refusal.fieldMessage).toMatch(/refused this login/);
  });

  it("refuses the master password and asks for the investor password", () => {
    const refusal = connectionRefusal("trade_allowed", typed);
    expect(refusal.field).toBe("investorPassword");
    expect(refusal.message).toMatch(/^That is the master \(trading\) password\. Give the investor \(read-only\) password instead/);
    expect(refusal.fieldMessage).toBe("This is the master password. Use the investor (read-only) password.");
  });

  it("sends an unreachable server back to the server field", () => {
    const refusal = connectionRefusal("server_unreachable", typed);
    expect(refusal).toMatchObject({ field: "server", fieldMessage: "Check the server name: type it exactly as MT5 shows it." });
    expect(refusal.message).toContain("“ICMarketsSC-Demo”");
  });

  it("gives every other outcome a form-level message that says nothing was saved", () => {
    for (const code of ["timeout", "terminal_crashed", "expired", "no_answer", "internal"] as const) {
      const refusal = connectionRefusal(code, typed);
      expect(refusal.field, code).toBeNull();
      expect(refusal.fieldMessage, code).toBeNull();
      expect(refusal.message, code).toMatch(/nothing was saved/i);
    }
    expect(connectionRefusal("timeout", typed).message).toBe("ICMarketsSC-Demo didn't answer in time. Nothing was saved; try again in a moment.");
    expect(connectionRefusal("expired", typed).message).toBe(connectionRefusal("no_answer", typed).message);
  });

  it("treats a code it does not know (or none) as an internal failure", () => {
    expect(connectionRefusal("something_new", typed)).toEqual(connectionRefusal("internal", typed));
    expect(connectionRefusal(null, typed)).toEqual(connectionRefusal("internal", typed));
    expect(isConnectionFailure("auth_failed")).toBe(true);
    expect(isConnectionFailure("AUTH_FAILED")).toBe(false);
  });
});
