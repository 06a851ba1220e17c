"""Attacks on a real `fachwerk serve`, over loopback only, each bounded in connections and
seconds (at most 20 s): clients that stall while reading or writing, connection floods, a
server out of file descriptors, and a login flood. While each runs, a probe keeps calling
/healthz and the work loop from another address, and the test asserts that the server keeps
answering and the attack is refused.

Attackers connect from 127.0.0.2 and up (all of 127/8 is loopback on Linux), the probe from
127.0.0.1, so the per-address connection bound applies to the attackers alone.

Each test prints a `FIGURE` line (healthz p99 under the attack, server memory under the login
flood) before it asserts, so the same suite measures a server that fails it.
"""

import os
import resource
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))

from fachwerk_client import (  # noqa: E402
    Client, FachwerkTestCase, PASSWORD, unique)

ATTACK_SECONDS = 8.0
PROBE_TIMEOUT = 5.0  # a probe request that takes longer counts as failed, at this latency


def attacker_address(n=0):
    return f"127.0.0.{2 + n % 250}"


def connect_from(address, port, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((address, 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    return s


def figure(name, **values):
    text = " ".join(f"{k}={v}" for k, v in values.items())
    sys.stderr.write(f"\nFIGURE {name} {text}\n")
    sys.stderr.flush()


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Probe(threading.Thread):
    """Calls /healthz on a new connection every 50 ms and, given an expert, runs the work loop
    (next + submit) every 100 ms, until stopped; records latencies and failures."""

    def __init__(self, port, expert=None, project_id=None):
        super().__init__(daemon=True)
        self.port = port
        self.expert = expert
        self.project_id = project_id
        self.healthz = []   # seconds; a failure counts as PROBE_TIMEOUT
        self.healthz_failures = 0
        self.work = []
        self.work_failures = 0
        self._halt = threading.Event()

    def run(self):
        client = Client(self.port, timeout=PROBE_TIMEOUT)
        last_work = 0.0
        while not self._halt.is_set():
            t0 = time.monotonic()
            try:
                ok = client.get("/healthz").status == 200
            except OSError:
                ok = False
            self._record(self.healthz, t0, ok, "healthz")
            if self.expert is not None and time.monotonic() - last_work >= 0.1:
                last_work = time.monotonic()
                self._work_cycle()
            self._halt.wait(0.05)

    def _work_cycle(self):
        t0 = time.monotonic()
        ok = False
        try:
            r = self.expert.post("/api/v1/work/next", {"project_id": self.project_id})
            a = r.json.get("assignment") if r.status == 200 and r.json else None
            if a:
                s = self.expert.post(f"/api/v1/assignments/{a['id']}/submit",
                                     {"answer": {"label": "correct"},
                                      "idempotency_key": unique("probe")})
                ok = s.status == 201
        except OSError:
            ok = False
        self._record(self.work, t0, ok, "work")

    def _record(self, series, t0, ok, kind):
        elapsed = time.monotonic() - t0
        if not ok:
            elapsed = max(elapsed, PROBE_TIMEOUT)
            if kind == "healthz":
                self.healthz_failures += 1
            else:
                self.work_failures += 1
        series.append(elapsed)

    def stop(self):
        self._halt.set()
        self.join(timeout=PROBE_TIMEOUT * 3)

    def summary(self):
        return {"healthz_p99_ms": round(percentile(self.healthz, 99) * 1000, 1),
                "healthz_max_ms": round(max(self.healthz or [0]) * 1000, 1),
                "healthz_calls": len(self.healthz),
                "healthz_failures": self.healthz_failures,
                "work_p99_ms": round(percentile(self.work, 99) * 1000, 1),
                "work_cycles": len(self.work),
                "work_failures": self.work_failures}


class AttackCase(FachwerkTestCase):
    """A server with short deadlines, a lab with a classification project of many items and
    an expert qualified for it (the probe's work loop)."""

    config = {"header_timeout_seconds": 3, "io_timeout_seconds": 3, "keepalive_seconds": 10,
              "max_connections_per_address": 64}
    server_args = ()

    @classmethod
    def setUpClass(cls):
        import tempfile
        fd, path = tempfile.mkstemp(prefix="fw-attack-", suffix=".conf")
        with os.fdopen(fd, "w") as f:
            for k, v in cls.config.items():
                f.write(f"{k} = {v}\n")
        cls.addClassCleanup(os.remove, path)
        cls.server_args = ("--config", path)
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        cls.expert_user, cls.expert = cls.create_expert({"chemistry": 3})
        p = cls.create_project(cls.owner, preset="classification", domain="chemistry", redundancy=1)
        cls.project_id = p["id"]
        cls.import_items(cls.owner, cls.project_id,
                         [{"text": f"reaction {n}", "n": n} for n in range(400)])

    def probe(self):
        p = Probe(self.server.port, self.expert, self.project_id)
        p.start()
        return p

    def connections(self):
        r = self.client().get("/healthz")
        return r.json.get("connections") if isinstance(r.json, dict) else None

    def wait_for_connections_at_most(self, n, seconds):
        deadline = time.monotonic() + seconds
        seen = None
        while time.monotonic() < deadline:
            seen = self.connections()
            if seen is not None and seen <= n:
                return seen
            time.sleep(0.2)
        return seen

    def assertSurvivedAndCutOff(self, name, probe, socks, **figures):
        """Prints the attack's figure, asserts the probe kept being answered and the server
        closed the attackers' connections, and closes them on this side."""
        figure(name, **figures, **probe.summary())
        try:
            self.assertKeptAnswering(probe)
            # Their reads or writes missed a deadline: the server closed them.
            self.assertLessEqual(self.wait_for_connections_at_most(2, 10), 2)
        finally:
            for s in socks:
                s.close()

    def assertKeptAnswering(self, probe, min_work_cycles=10):
        s = probe.summary()
        self.assertEqual(s["healthz_failures"], 0, s)
        self.assertEqual(s["work_failures"], 0, s)
        self.assertGreaterEqual(s["work_cycles"], min_work_cycles, s)
        self.assertLess(s["healthz_p99_ms"], 1000, s)


class StalledReadersTest(AttackCase):
    def test_pipelined_requests_never_read_hold_no_thread(self):
        """32 connections pipeline authenticated GET /api/v1/presets and never read."""
        token = self.owner.token
        req = (f"GET /api/v1/presets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Authorization: Bearer {token}\r\n\r\n").encode() * 64
        socks = [connect_from(attacker_address(), self.server.port, rcvbuf=4096) for _ in range(32)]
        for s in socks:
            s.setblocking(False)
        probe = self.probe()
        end = time.monotonic() + ATTACK_SECONDS
        try:
            while time.monotonic() < end:
                for s in socks:
                    try:
                        s.send(req)
                    except (BlockingIOError, OSError):
                        pass
                time.sleep(0.05)
        finally:
            probe.stop()
        self.assertSurvivedAndCutOff("stalled_readers", probe, socks)


class StalledUploadsTest(AttackCase):
    def test_imports_that_never_send_their_body_hold_no_thread(self):
        """32 imports send their header (Content-Length 100000) and no body."""
        head = (f"POST /api/v1/projects/{self.project_id}/items HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {self.owner.token}\r\nContent-Type: application/x-ndjson\r\n"
                f"Content-Length: 100000\r\n\r\n").encode()
        socks = []
        for _ in range(32):
            s = connect_from(attacker_address(), self.server.port)
            s.sendall(head + b'{"text": "a partial line')
            socks.append(s)
        before = self.owner.get(f"/api/v1/projects/{self.project_id}").json["counts"]["items"]
        probe = self.probe()
        try:
            time.sleep(ATTACK_SECONDS)
        finally:
            probe.stop()
        self.assertSurvivedAndCutOff("stalled_uploads", probe, socks)
        # Nothing of the partial bodies was stored.
        items = self.owner.get(f"/api/v1/projects/{self.project_id}").json
        self.assertEqual(items["counts"]["items"], before, items)

    def test_a_slow_but_live_upload_completes(self):
        """An import whose body arrives in pieces (each within the deadline) is stored."""
        body = "".join(f'{{"text": "slow {n}"}}\n' for n in range(20)).encode()
        s = connect_from(attacker_address(1), self.server.port)
        s.sendall((f"POST /api/v1/projects/{self.project_id}/items HTTP/1.1\r\nHost: x\r\n"
                   f"Authorization: Bearer {self.owner.token}\r\nContent-Type: application/x-ndjson\r\n"
                   f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode())
        for i in range(0, len(body), len(body) // 4 + 1):
            s.sendall(body[i:i + len(body) // 4 + 1])
            time.sleep(1.0)
        reply = b""
        s.settimeout(10)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
        s.close()
        self.assertTrue(reply.startswith(b"HTTP/1.1 201"), reply[:300])


class SlowHeadersTest(AttackCase):
    def test_headers_sent_a_byte_at_a_time_are_cut_off(self):
        """32 connections send a request header one byte every 200 ms (slowloris)."""
        socks = [connect_from(attacker_address(), self.server.port) for _ in range(32)]
        for s in socks:
            s.sendall(b"GET /api/v1/version HTTP/1.1\r\n")
        probe = self.probe()
        closed = 0
        end = time.monotonic() + ATTACK_SECONDS
        try:
            while time.monotonic() < end:
                for s in list(socks):
                    try:
                        s.sendall(b"X")
                    except OSError:
                        socks.remove(s)
                        s.close()
                        closed += 1
                time.sleep(0.2)
        finally:
            probe.stop()
        self.assertSurvivedAndCutOff("slow_headers", probe, socks, closed_by_server=closed)


class ConnectionBoundTest(AttackCase):
    def test_one_address_holds_a_bounded_number_of_connections(self):
        """100 connections from one address: 64 are served, the rest get 503 and a close."""
        socks = [connect_from(attacker_address(3), self.server.port) for _ in range(100)]
        probe = self.probe()
        statuses = []
        try:
            for s in socks:
                try:
                    s.sendall(b"GET /api/v1/version HTTP/1.1\r\nHost: x\r\n\r\n")
                    data = s.recv(4096)
                    statuses.append(int(data.split(b" ", 2)[1]) if data else 0)
                except OSError:
                    statuses.append(0)
            time.sleep(ATTACK_SECONDS / 2)
        finally:
            probe.stop()
            for s in socks:
                s.close()
        figure("connection_flood_one_address", served=statuses.count(200), shed=statuses.count(503),
               **probe.summary())
        self.assertKeptAnswering(probe)
        self.assertEqual(statuses.count(200), 64, statuses)
        self.assertEqual(statuses.count(503), 36, statuses)


class DescriptorExhaustionTest(AttackCase):
    config = dict(AttackCase.config, header_timeout_seconds=20, keepalive_seconds=60)

    def test_accept_backs_off_and_resumes_when_descriptors_run_out(self):
        pid = self.server.proc.pid
        soft, hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)
        kept = Client(self.server.port)
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request("GET", "/healthz")
        first = conn.getresponse()
        first.read()
        self.assertEqual(first.status, 200)
        open_fds = len(os.listdir(f"/proc/{pid}/fd"))
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (open_fds + 8, hard))
        socks = []
        try:
            for _ in range(40):
                try:
                    s = connect_from(attacker_address(4), self.server.port)
                    s.sendall(b"GET /api/v1/version HTTP/1.1\r\nHost: x\r\n")  # header left open
                    socks.append(s)
                except OSError:
                    pass
            time.sleep(1.0)
            conn.request("GET", "/healthz")
            degraded = conn.getresponse()
            body = degraded.read()
            figure("descriptor_exhaustion", healthz_while_out=degraded.status)
            self.assertEqual(degraded.status, 503, body)
            self.assertIn(b'"accepting":false', body)
            self.assertIsNone(self.server.proc.poll(), "the server died")
        finally:
            for s in socks:
                s.close()
            resource.prlimit(pid, resource.RLIMIT_NOFILE, (soft, hard))
        deadline = time.monotonic() + 10
        status = None
        while time.monotonic() < deadline:
            try:
                r = kept.get("/healthz")
                status = r.status
                if status == 200 and r.json.get("accepting") is True:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        conn.close()
        self.assertEqual(status, 200, "the server did not accept again after descriptors came back")


class LoginFloodTest(AttackCase):
    def test_wrong_passwords_are_throttled_and_hashing_is_bounded(self):
        """64 connections from 64 addresses send wrong passwords for ATTACK_SECONDS."""
        pid = self.server.proc.pid
        base = rss_kib(pid)
        statuses = {}
        lock = threading.Lock()
        stop = threading.Event()

        def flood(n):
            client_addr = attacker_address(10 + n)
            while not stop.is_set():
                try:
                    s = connect_from(client_addr, self.server.port)
                    body = (f'{{"email":"victim{n}-{time.monotonic_ns()}@example.org",'
                            f'"password":"wrong password {n}"}}').encode()
                    s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                              b"Content-Type: application/json\r\nConnection: close\r\n"
                              + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
                    s.settimeout(10)
                    data = s.recv(4096)
                    s.close()
                    code = int(data.split(b" ", 2)[1]) if data else 0
                except (OSError, ValueError, IndexError):
                    code = 0
                with lock:
                    statuses[code] = statuses.get(code, 0) + 1

        threads = [threading.Thread(target=flood, args=(n,), daemon=True) for n in range(64)]
        probe = self.probe()
        peak = base
        for t in threads:
            t.start()
        end = time.monotonic() + ATTACK_SECONDS
        try:
            while time.monotonic() < end:
                peak = max(peak, rss_kib(pid))
                time.sleep(0.1)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=15)
            probe.stop()
        figure("login_flood", rss_before_mib=base // 1024, rss_peak_mib=peak // 1024,
               answers=dict(sorted(statuses.items())).__repr__().replace(" ", ""), **probe.summary())
        self.assertKeptAnswering(probe)
        # At most a few argon2id computations (64 MiB each) run at once.
        self.assertLess(peak - base, 400 * 1024, f"server memory grew by {(peak - base) // 1024} MiB")
        self.assertGreater(statuses.get(429, 0) + statuses.get(503, 0), 0, statuses)
        self.assertEqual(statuses.get(0, 0), 0, statuses)
        # The accounts of the platform still log in.
        self.assertEqual(self.client().post("/api/v1/auth/login", {
            "email": self.owner_user["email"], "password": PASSWORD}).status, 200)


if __name__ == "__main__":
    unittest.main()
