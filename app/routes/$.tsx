// Any address no other route matches: a real 404 status with the error page.
import { ErrorPage } from "~/components/error-page.tsx";

export const loader = () => {
  throw new Response("Not found", { status: 404 });
};

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
