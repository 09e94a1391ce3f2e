/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// remix.config.js enables `future.v3_singleFetch`; this makes loader/action
// data types (useLoaderData, useActionData, ...) follow the single-fetch
// (turbo-stream) serialization rules instead of JSON ones.
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
