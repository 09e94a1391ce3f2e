// What the signed-in shell knows about the user on every page (no secrets).
export interface ShellAccount {
  id: string;
  name: string;
  kind: "manual" | "mt5";
  syncEnabled: boolean;
}

export interface ShellUser {
  id: string;
  email: string;
  fullName: string | null;
  tier: "free" | "pro" | "elite";
}

export interface ShellData {
  user: ShellUser;
  accounts: ShellAccount[];
}
