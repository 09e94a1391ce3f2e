// The local Supabase logs one line per request or connection event and never a
// secret: no password, token, key or signed-URL token appears in any line.
import { createClient } from "@supabase/supabase-js";
import { expect, it } from "vitest";
import { startSupabaseForTests } from "../support/local-supabase.ts";

const lines: string[] = [];
const sut = await startSupabaseForTests({ autoconfirm: true }, { log: (line) => lines.push(line) });

it.skipIf(sut.external)("logs every request without secrets", async () => {
  const password = "Very-Secret-Passw0rd!";
  const client = createClient(sut.url, sut.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data, error } = await client.auth.signUp({ email: `log-${Date.now()}@example.com`, password });
  expect(error).toBeNull();
  const signedIn = await client.auth.signInWithPassword({ email: data.user!.email!, password });
  const session = signedIn.data.session!;
  const refreshed = await client.auth.refreshSession({ refresh_token: session.refresh_token });
  await client.auth.getUser();
  const userId = session.user.id;
  await sut.db!.pool.query(
    `insert into storage.buckets (id, name, public) values ('log-test', 'log-test', false) on conflict do nothing;
     create policy log_test_all on storage.objects for all to authenticated using (bucket_id = 'log-test') with check (bucket_id = 'log-test');`,
  );
  await client.storage.from("log-test").upload(`${userId}/a.png`, new Blob([new Uint8Array([1, 2, 3])], { type: "image/png" }));
  const signed = await client.storage.from("log-test").createSignedUrl(`${userId}/a.png`, 60);
  expect(signed.error).toBeNull();
  await fetch(signed.data!.signedUrl);

  const channel = client.channel("log-test");
  await new Promise<void>((resolve) => channel.subscribe((status) => status === "SUBSCRIBED" && resolve()));
  await client.removeChannel(channel);
  await new Promise((r) => setTimeout(r, 200));

  const secrets = [
    password,
    session.access_token,
    session.refresh_token,
    refreshed.data.session!.access_token,
    refreshed.data.session!.refresh_token,
    new URL(signed.data!.signedUrl).searchParams.get("token")!,
    sut.anonKey,
    sut.serviceRoleKey,
    sut.jwtSecret!,
  ];
  const leaks = lines.filter((line) => secrets.some((secret) => line.includes(secret)));
  expect(leaks).toEqual([]);
  // One line per request, method + path + status.
  expect(lines.some((l) => /^POST \/auth\/v1\/signup 200 /.test(l))).toBe(true);
  expect(lines.some((l) => /^POST \/auth\/v1\/token 200 /.test(l))).toBe(true);
  expect(lines.some((l) => /^POST \/storage\/v1\/object\/log-test\/.+ 200 /.test(l))).toBe(true);
  expect(lines.some((l) => /^GET \/storage\/v1\/object\/sign\/.+ 200 /.test(l))).toBe(true);
  expect(lines.some((l) => /\[realtime\] (connect|join)/.test(l))).toBe(true);
});
