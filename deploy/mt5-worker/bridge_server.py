"""Serves mt5/bridge over TCP inside the MT5 worker container.

Each accepted connection gets its own bridge process (and so its own MT5
terminal under Wine); the connection's bytes are the bridge's stdin and its
stdout is sent back, unchanged, so the jobs process speaks mt5/PROTOCOL.md as
if it had spawned the bridge itself (deploy/mt5-worker/remote-bridge.mjs is
the other end). The bridge's stderr goes to this container's log. When the
connection closes the bridge is asked to stop by closing its stdin, and
killed if it lingers. At most MT5_WORKER_MAX_BRIDGES run at once: a
connection beyond that is closed at once, which the jobs process sees as a
bridge that did not start.

Standard library only. `--check` is the container's healthcheck: it asks the
health port how many bridges run, and never starts one.

Environment:
  MT5_WORKER_PORT          bridge port (7900)
  MT5_WORKER_HEALTH_PORT   health port, answers "ok <running>/<max>" (7901)
  MT5_WORKER_HOST          address to listen on (0.0.0.0)
  MT5_WORKER_MAX_BRIDGES   concurrent bridges (4)
  MT5_BRIDGE_COMMAND       the bridge command line, split on spaces
                           (default: wine python.exe Z:\\opt\\rawjournal\\mt5\\bridge)
  MT5_TERMINAL_PATH_TEMPLATE  the terminal each bridge starts, "{slot}" replaced
                           by the connection's slot (0 .. max-1), so two bridges
                           never attach to one terminal; unset: the bridge's default
"""
import os
import socket
import socketserver
import subprocess
import sys
import threading

DEFAULT_COMMAND = "wine python.exe Z:\\opt\\rawjournal\\mt5\\bridge"


def setting(name, default):
    return os.environ.get(name) or default


class BridgeHandler(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server
        with server.count_lock:
            slot = server.free_slots.pop(0) if server.free_slots else None
        if slot is None:
            sys.stderr.write("mt5-worker: refused a connection, all %d bridges busy\n" % server.max_bridges)
            return
        try:
            self.relay(slot)
        finally:
            with server.count_lock:
                server.free_slots.append(slot)
                server.free_slots.sort()

    def relay(self, slot):
        sock = self.request
        env = dict(os.environ)
        template = os.environ.get("MT5_TERMINAL_PATH_TEMPLATE")
        if template:
            env["RAWJOURNAL_MT5_TERMINAL_PATH"] = template.replace("{slot}", str(slot))
        bridge = subprocess.Popen(self.server.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=env)
        with self.server.count_lock:
            self.server.running += 1

        def to_client():
            # Bridge stdout -> socket, until the bridge exits; then end the connection.
            try:
                while True:
                    chunk = bridge.stdout.read1(65536) if hasattr(bridge.stdout, "read1") else bridge.stdout.read(65536)
                    if not chunk:
                        break
                    sock.sendall(chunk)
            except OSError:
                pass
            finally:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        sender = threading.Thread(target=to_client, daemon=True)
        sender.start()
        try:
            # Socket -> bridge stdin, until the jobs side closes.
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                bridge.stdin.write(chunk)
                bridge.stdin.flush()
        except OSError:
            pass
        finally:
            try:
                bridge.stdin.close()
            except OSError:
                pass
            try:
                bridge.wait(timeout=10)
            except subprocess.TimeoutExpired:
                bridge.kill()
                bridge.wait()
            sender.join(timeout=5)
            with self.server.count_lock:
                self.server.running -= 1


class BridgeServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, command, max_bridges):
        super().__init__(address, BridgeHandler)
        self.command = command
        self.max_bridges = max_bridges
        self.free_slots = list(range(max_bridges))
        self.count_lock = threading.Lock()
        self.running = 0


class HealthHandler(socketserver.BaseRequestHandler):
    def handle(self):
        bridges = self.server.bridges
        self.request.sendall(("ok %d/%d\n" % (bridges.running, bridges.max_bridges)).encode("ascii"))


def check(host, port):
    try:
        with socket.create_connection((host, port), timeout=3) as sock:
            answer = sock.recv(64).decode("ascii", "replace")
    except OSError as error:
        sys.stderr.write("mt5-worker: health port %d: %s\n" % (port, error))
        return 1
    print(answer.strip())
    return 0 if answer.startswith("ok ") else 1


def main(argv):
    port = int(setting("MT5_WORKER_PORT", "7900"))
    health_port = int(setting("MT5_WORKER_HEALTH_PORT", "7901"))
    if "--check" in argv:
        return check("127.0.0.1", health_port)
    host = setting("MT5_WORKER_HOST", "0.0.0.0")
    max_bridges = int(setting("MT5_WORKER_MAX_BRIDGES", "4"))
    command = setting("MT5_BRIDGE_COMMAND", DEFAULT_COMMAND).split(" ")
    bridges = BridgeServer((host, port), command, max_bridges)
    health = socketserver.ThreadingTCPServer((host, health_port), HealthHandler)
    health.daemon_threads = True
    health.bridges = bridges
    threading.Thread(target=health.serve_forever, daemon=True).start()
    sys.stderr.write("mt5-worker: serving %s on %s:%d (max %d), health on %d\n" % (" ".join(command), host, port, max_bridges, health_port))
    sys.stderr.flush()
    try:
        bridges.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
