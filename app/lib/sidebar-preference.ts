// The collapsed/expanded sidebar is remembered in a plain cookie (not a
// secret), read on the server so the first render already has it right.
export const SIDEBAR_COOKIE = "rj_sidebar";

export function isSidebarCollapsed(cookieHeader: string | null): boolean {
  return new RegExp(`(?:^|;\\s*)${SIDEBAR_COOKIE}=collapsed(?:;|$)`).test(cookieHeader ?? "");
}

export function sidebarCookie(collapsed: boolean, secure: boolean): string {
  return `${SIDEBAR_COOKIE}=${collapsed ? "collapsed" : "expanded"}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure ? "; Secure" : ""}`;
}
