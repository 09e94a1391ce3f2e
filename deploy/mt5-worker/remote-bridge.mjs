#!/usr/bin/env node
// The jobs process's MT5_PYTHON in production: it spawns this in place of
// `python mt5/bridge` (jobs/mt5/bridge-client.ts passes the bridge's path as
// the only argument, ignored here) and this carries the bridge's stdio over
// TCP to the MT5 worker container, where deploy/mt5-worker/bridge_server.py
// runs a real bridge per connection. The child gets no environment from the
// jobs process beyond a fixed list (no secrets), so the worker's address is
// fixed: the compose service name and port, or RAWJOURNAL_MT5_WORKER_ADDRESS
// when a test runs it by hand.
import net from "node:net";

const address = process.env.RAWJOURNAL_MT5_WORKER_ADDRESS ?? "mt5-worker:7900";
const separator = address.lastIndexOf(":");
const host = address.slice(0, separator);
const port = Number(address.slice(separator + 1));

const socket = net.connect({ host, port });
socket.setNoDelay(true);
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on("error", (error) => {
  process.stderr.write(`mt5 relay: ${address}: ${error.message}\n`);
  process.exit(1);
});
// The worker closed the connection: its bridge exited (or it refused us).
socket.on("close", () => process.exit(0));
// The jobs process closed our stdin (a stop): end our half, let the bridge finish.
process.stdin.on("end", () => socket.end());
