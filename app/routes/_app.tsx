// The signed-in app: sidebar, header and phone tab bar around every page.
// Signed-out visitors are sent to the login page, which brings them back.
// Every page of every tab holds the live connection (presence, notices,
// changes), so an open tab anywhere in the app keeps MT5 sync running.
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { QuickJournalProvider } from "~/components/journal/quick-journal-sheet.tsx";
import { AppHeader } from "~/components/shell/app-header.tsx";
import { BottomTabBar } from "~/components/shell/bottom-tab-bar.tsx";
import { Sidebar } from "~/components/shell/sidebar.tsx";
import { LiveSyncProvider } from "~/components/shell/live-sync.tsx";
import { Toaster } from "~/components/shell/toaster.tsx";
import { env } from "~/lib/env.server.ts";
import { noticeFrom } from "~/lib/notices.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { isSidebarCollapsed } from "~/lib/sidebar-preference.ts";
import { loadShell } from "~/models/shell.server.ts";
import { loadBillingBanner } from "~/models/billing/banner.server.ts";
import { PastDueBanner } from "~/components/billing/past-due-banner.tsx";
import { noindexHandle, noindexHeaders } from "~/lib/seo-meta.ts";

// Nothing signed in belongs in a search engine: robots meta and X-Robots-Tag on every page and data answer beneath.
export const handle = noindexHandle;
export const headers: HeadersFunction = noindexHeaders;

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const shell = await loadShell(user.db, user.claims);
    const billingBanner = await loadBillingBanner(user.db, user.userId);
    // Public values: the anon key is meant for browsers; the access token comes from /realtime/token.
    const live = { supabaseUrl: env.SUPABASE_URL, anonKey: env.SUPABASE_ANON_KEY, userId: user.userId };
    return { shell, live, billingBanner, sidebarCollapsed: isSidebarCollapsed(request.headers.get("Cookie")) };
  });

export default function AppLayout() {
  const { shell, live, billingBanner, sidebarCollapsed } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = noticeFrom(params.get("notice"));
  return (
    <Toaster>
      <QuickJournalProvider>
        <LiveSyncProvider config={live} accounts={shell.accounts}>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-raised focus:px-4 focus:py-2"
          >
            Skip to content
          </a>
          <div className="flex min-h-screen">
            <Sidebar collapsed={sidebarCollapsed} />
            <div className="flex min-w-0 flex-1 flex-col">
              <AppHeader shell={shell} />
              <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 pb-24 pt-6 sm:px-6 md:pb-10 lg:px-8">
                <PastDueBanner banner={billingBanner} />
                {notice ? (
                  <div className="mb-6">
                    <FormAlert tone={notice.tone}>{notice.text}</FormAlert>
                  </div>
                ) : null}
                <Outlet />
              </main>
            </div>
          </div>
          <BottomTabBar />
        </LiveSyncProvider>
      </QuickJournalProvider>
    </Toaster>
  );
}
