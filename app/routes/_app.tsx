// The signed-in app: sidebar, header and phone tab bar around every page.
// Signed-out visitors are sent to the login page, which brings them back.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { AppHeader } from "~/components/shell/app-header.tsx";
import { BottomTabBar } from "~/components/shell/bottom-tab-bar.tsx";
import { Sidebar } from "~/components/shell/sidebar.tsx";
import type { SyncState } from "~/components/shell/sync-status-dot.tsx";
import { Toaster } from "~/components/shell/toaster.tsx";
import { noticeFrom } from "~/lib/notices.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { requireUser } from "~/lib/session.server.ts";
import { isSidebarCollapsed } from "~/lib/sidebar-preference.ts";
import { loadShell } from "~/models/shell.server.ts";

export const loader = (args: LoaderFunctionArgs) => handleLoader(args, async ({ request }) => {
  const user = await requireUser(request);
  const shell = await loadShell(user.claims);
  const syncState: SyncState = "off";
  return { shell, syncState, sidebarCollapsed: isSidebarCollapsed(request.headers.get("Cookie")) };
});

export default function AppLayout() {
  const { shell, syncState, sidebarCollapsed } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = noticeFrom(params.get("notice"));
  return (
    <Toaster>
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-raised focus:px-4 focus:py-2">
        Skip to content
      </a>
      <div className="flex min-h-screen">
        <Sidebar collapsed={sidebarCollapsed} />
        <div className="flex min-w-0 flex-1 flex-col">
          <AppHeader shell={shell} syncState={syncState} />
          <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 pb-24 pt-6 sm:px-6 md:pb-10 lg:px-8">
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
    </Toaster>
  );
}
