"""A tiny client for the Fachwerk HTTP API and a helper that runs a real server.

Standard library only. Everything here has a bounded timeout: a hung server fails a test, it
never hangs the suite.

- `ServerProcess` starts `fachwerk serve` on port 0 over a data directory, waits for the port
  file and /healthz, and stops it (SIGTERM, then SIGKILL), kills it (`kill9`) or restarts it.
  A server never outlives the suite: it is killed at interpreter exit, when the Python process
  dies (PR_SET_PDEATHSIG on Linux), and by a watchdog after `max_lifetime_seconds`.
- `Client` sends one request per connection and returns a `Response` (status, headers, body,
  parsed JSON or JSONL).
- `run_cli` runs a `fachwerk` subcommand (admin bootstrap, `routes --json`).
- `FachwerkTestCase` is the per-class bootstrap: a temporary data directory, a first operator
  made with the CLI, a server, and helpers that build labs, users, experts and projects
  through the operator's and labs' API.
"""

import atexit
import http.client
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_BINARY = os.path.join(REPO, "build", "src", "cli", "fachwerk")

PASSWORD = "correct-horse-battery-staple"
REQUEST_TIMEOUT = 30.0  # seconds, per HTTP request
CLI_TIMEOUT = 60.0  # seconds, per CLI invocation
START_TIMEOUT = 30.0  # seconds until the server answers /healthz


def binary_path():
    """The fachwerk binary under test: $FACHWERK_BIN, else <repo>/build/src/cli/fachwerk."""
    return os.environ.get("FACHWERK_BIN") or DEFAULT_BINARY


def child_env():
    """The environment for fachwerk processes: ours without FACHWERK_* configuration, which
    the server would read as settings (FACHWERK_LISTEN, ...), so every run is hermetic."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACHWERK_")}
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def _set_pdeathsig():
    """Runs in the child before exec: SIGKILL the server if the test process dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:  # not Linux, or no libc: the watchdog and atexit still apply
        pass


class CliError(AssertionError):
    pass


def run_cli(*args, timeout=CLI_TIMEOUT, check=True):
    """Runs `fachwerk ARGS...`; returns the CompletedProcess. With check, a non-zero exit
    raises CliError carrying the command, exit code, stdout and stderr."""
    cmd = [binary_path(), *[str(a) for a in args]]
    if not os.path.exists(cmd[0]):
        raise CliError(
            f"fachwerk binary not found at {cmd[0]}: build it "
            f"(cmake -S . -B build -G Ninja && ninja -C build fachwerk) or set FACHWERK_BIN")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=child_env(), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise CliError(f"{' '.join(cmd)} did not finish within {timeout} s") from e
    if check and proc.returncode != 0:
        raise CliError(f"{' '.join(cmd)} exited {proc.returncode}\n"
                       f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}")
    return proc


# ---- HTTP -------------------------------------------------------------------------------------


class Response:
    """One HTTP response. `json` is the parsed body (None when the body is empty or not
    JSON); `jsonl()` parses a JSONL body line by line."""

    def __init__(self, method, path, status, headers, body):
        self.method = method
        self.path = path
        self.status = status
        self.raw_headers = [(k.lower(), v) for k, v in headers]  # repeated headers kept
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self.text = body.decode("utf-8", errors="replace")
        try:
            self.json = json.loads(self.text) if self.text.strip() else None
        except ValueError:
            self.json = None

    def header(self, name):
        return self.headers.get(name.lower())

    def header_values(self, name):
        """Every value of a header that may repeat, in order."""
        return [v for k, v in self.raw_headers if k == name.lower()]

    @property
    def error(self):
        """The `error` object of an error body, or {}."""
        if isinstance(self.json, dict) and isinstance(self.json.get("error"), dict):
            return self.json["error"]
        return {}

    @property
    def detail_fields(self):
        return [d.get("field") for d in self.error.get("details") or [] if isinstance(d, dict)]

    def jsonl(self):
        rows = []
        for n, line in enumerate(self.text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as e:
                    raise AssertionError(f"{self.method} {self.path}: line {n} is not JSON: "
                                         f"{line[:200]!r}") from e
        return rows

    def describe(self):
        return f"{self.method} {self.path} -> {self.status}: {self.text[:1500]}"

    def __repr__(self):
        return f"<Response {self.describe()[:300]}>"


class Client:
    """A client bound to a server address and optionally a bearer token. Thread-safe: each
    request opens its own connection."""

    def __init__(self, port, token=None, host="127.0.0.1", timeout=REQUEST_TIMEOUT):
        self.host = host
        self.port = port
        self.token = token
        self.timeout = timeout

    def as_token(self, token):
        return Client(self.port, token, self.host, self.timeout)

    def anonymous(self):
        return self.as_token(None)

    def request(self, method, path, body=None, *, raw=None, headers=None, token=None,
                query=None, content_type=None):
        """Sends one request. `body` is JSON-encoded; `raw` (bytes or str) is sent as is.
        `token` overrides the client's token ("" sends none). Raises on a transport failure
        (connection refused or reset, timeout)."""
        if query:
            path = path + ("&" if "?" in path else "?") + urllib.parse.urlencode(query)
        hdrs = {"Accept": "application/json"}
        data = None
        if raw is not None:
            data = raw.encode("utf-8") if isinstance(raw, str) else raw
            hdrs["Content-Type"] = content_type or "application/x-ndjson"
        elif body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = content_type or "application/json"
        tok = self.token if token is None else token
        if tok:
            hdrs["Authorization"] = f"Bearer {tok}"
        if headers:
            hdrs.update(headers)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            return Response(method, path, resp.status, resp.getheaders(), payload)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


# ---- the server process ----------------------------------------------------------------------

_live_servers = set()
_live_lock = threading.Lock()


def _kill_all_servers():
    with _live_lock:
        servers = list(_live_servers)
    for s in servers:
        s.kill9()


atexit.register(_kill_all_servers)


class ServerError(AssertionError):
    pass


class ServerProcess:
    """`fachwerk serve` over `data_dir` on 127.0.0.1, port 0. Its output goes to `log_path`
    (appended across restarts). Not thread-safe: drive it from the test's main thread."""

    def __init__(self, data_dir, extra_args=(), log_path=None, max_lifetime_seconds=900):
        self.data_dir = data_dir
        self.extra_args = [str(a) for a in extra_args]
        self.log_path = log_path or os.path.join(os.path.dirname(data_dir.rstrip("/")),
                                                 "server.log")
        self.port_file = os.path.join(os.path.dirname(data_dir.rstrip("/")), "port")
        self.max_lifetime_seconds = max_lifetime_seconds
        self.proc = None
        self.port = None
        self._watchdog = None
        self.exits = []  # return codes of earlier runs (negative: killed by that signal)

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout=START_TIMEOUT):
        assert not self.running, "server already running"
        binary = binary_path()
        if not os.path.exists(binary):
            raise ServerError(
                f"fachwerk binary not found at {binary}: build it or set FACHWERK_BIN")
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        cmd = [binary, "serve", "--listen", "127.0.0.1:0", "--data", self.data_dir,
               "--port-file", self.port_file, *self.extra_args]
        log = open(self.log_path, "ab")
        log.write(f"\n==== {' '.join(cmd)}\n".encode())
        log.flush()
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         env=child_env(), preexec_fn=_set_pdeathsig)
        finally:
            log.close()
        with _live_lock:
            _live_servers.add(self)
        self._watchdog = threading.Timer(self.max_lifetime_seconds, self._expire,
                                         args=(self.proc,))
        self._watchdog.daemon = True
        self._watchdog.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self._forget()
                raise ServerError(f"fachwerk serve exited {code} before listening\n"
                                  f"{' '.join(cmd)}\n{self.log_tail()}")
            port = self._read_port()
            if port:
                try:
                    r = Client(port, timeout=2).get("/healthz")
                    if r.status == 200:
                        self.port = port
                        return self
                except OSError:
                    pass
            time.sleep(0.05)
        self.kill9()
        raise ServerError(f"fachwerk serve did not answer /healthz within {timeout} s\n"
                          f"{' '.join(cmd)}\n{self.log_tail()}")

    def _read_port(self):
        try:
            with open(self.port_file) as f:
                text = f.read().strip()
        except OSError:
            return None
        text = text.rsplit(":", 1)[-1]
        return int(text) if text.isdigit() and int(text) > 0 else None

    def _expire(self, proc):
        if proc.poll() is None:
            sys.stderr.write(f"fachwerk serve (pid {proc.pid}) outlived "
                             f"{self.max_lifetime_seconds} s; killing it\n")
            proc.kill()

    def _forget(self):
        if self._watchdog:
            self._watchdog.cancel()
            self._watchdog = None
        with _live_lock:
            _live_servers.discard(self)
        if self.proc is not None:
            self.exits.append(self.proc.returncode)
        self.proc = None
        self.port = None

    def stop(self, timeout=15):
        """SIGTERM, wait up to `timeout` s, then SIGKILL. Returns the exit code."""
        if self.proc is None:
            return None
        proc = self.proc
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        code = proc.returncode
        self._forget()
        return code

    def kill9(self):
        """SIGKILL, no goodbye: what a power cut looks like to the process."""
        if self.proc is None:
            return None
        proc = self.proc
        if proc.poll() is None:
            proc.kill()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        code = proc.returncode
        self._forget()
        return code

    def restart(self, timeout=START_TIMEOUT):
        self.stop()
        return self.start(timeout)

    def client(self, token=None):
        assert self.port, "server not running"
        return Client(self.port, token)

    def log_tail(self, limit=4000):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                f.seek(max(0, size - limit))
                return "---- server log (tail) ----\n" + f.read().decode("utf-8", "replace")
        except OSError:
            return "(no server log)"


# ---- test bootstrap ---------------------------------------------------------------------------

_unique = itertools.count(1)


def unique(prefix):
    """A name no other call in this process returns: "<prefix>-<pid>-<n>"."""
    return f"{prefix}-{os.getpid()}-{next(_unique)}"


def jsonl(rows):
    return "".join(json.dumps(r) + "\n" for r in rows)


class FachwerkTestCase(unittest.TestCase):
    """Per class: a temporary data dir, an operator made with `fachwerk admin
    create-operator`, and a running server. Set `server_args` for extra serve flags.
    FACHWERK_KEEP_DATA=1 keeps the directory (data, server.log) for inspection."""

    server_args = ()
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix=f"fw-api-{cls.__name__}-")
        # Class cleanups run even when a subclass's setUpClass fails half-way.
        cls.addClassCleanup(cls._cleanup_tmp)
        cls.data_dir = os.path.join(cls.tmp, "data")
        os.makedirs(cls.data_dir)
        cls.operator_email = f"operator-{os.getpid()}@example.org"
        run_cli("admin", "create-operator", "--data", cls.data_dir, "--email",
                cls.operator_email, "--name", "Olga Operator", "--password", PASSWORD)
        cls.server = ServerProcess(cls.data_dir, cls.server_args)
        cls.addClassCleanup(cls.server.stop)
        cls.server.start()
        cls.op = cls.login(cls.operator_email)

    @classmethod
    def _cleanup_tmp(cls):
        if os.environ.get("FACHWERK_KEEP_DATA"):
            sys.stderr.write(f"\nkept {cls.tmp}\n")
        else:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    # -- assertions ------------------------------------------------------------------------

    def assertStatus(self, resp, *expected, msg=None):
        """Asserts resp.status is one of `expected`; the failure shows the request, the
        response body and the server log tail."""
        if resp.status not in expected:
            extra = f"\n{msg}" if msg else ""
            self.fail(f"expected {' or '.join(map(str, expected))}, got {resp.describe()}"
                      f"{extra}\n{self.server.log_tail(2500)}")
        return resp

    def assertError(self, resp, status, code=None, reason=None):
        self.assertStatus(resp, status)
        err = resp.error
        self.assertTrue(err, f"error body missing: {resp.describe()}")
        if code is not None:
            self.assertEqual(err.get("code"), code, resp.describe())
        if reason is not None:
            self.assertEqual(err.get("reason"), reason, resp.describe())
        self.assertIn("message", err, resp.describe())
        return err

    # -- bootstrap through the API ---------------------------------------------------------

    @classmethod
    def client(cls, token=None):
        return cls.server.client(token)

    @classmethod
    def login(cls, email, password=PASSWORD):
        r = cls.server.client().post("/api/v1/auth/login", {"email": email, "password": password})
        if r.status != 200 or not isinstance(r.json, dict) or not r.json.get("token"):
            raise AssertionError(f"login of {email} failed: {r.describe()}")
        return cls.server.client(r.json["token"])

    @classmethod
    def _must(cls, resp, *statuses):
        if resp.status not in statuses:
            raise AssertionError(f"bootstrap step failed: {resp.describe()}\n"
                                 f"{cls.server.log_tail(2500)}")
        return resp.json

    @classmethod
    def create_lab(cls, name=None):
        slug = unique("lab").lower()
        return cls._must(cls.op.post("/api/v1/labs", {"name": name or slug, "slug": slug}), 201)

    @classmethod
    def create_user(cls, role, lab_id=None, name=None, email=None):
        email = email or f"{unique(role)}@example.org"
        body = {"email": email, "name": name or f"{role.title()} {email.split('@')[0]}",
                "password": PASSWORD, "role": role}
        if lab_id is not None:
            body["lab_id"] = lab_id
        user = cls._must(cls.op.post("/api/v1/users", body), 201)
        return user

    @classmethod
    def create_lab_with_owner(cls, name=None):
        """Returns (lab, owner_user, owner_client)."""
        lab = cls.create_lab(name)
        owner = cls.create_user("owner", lab["id"])
        return lab, owner, cls.login(owner["email"])

    @classmethod
    def create_expert(cls, quals, name=None):
        """`quals`: {domain: level} or {domain: (level, reviewer)}. Returns (user, client)."""
        user = cls.create_user("expert", name=name)
        for domain, q in quals.items():
            level, reviewer = q if isinstance(q, tuple) else (q, False)
            cls._must(cls.op.put(f"/api/v1/experts/{user['id']}/qualifications/{domain}",
                                 {"level": level, "reviewer": reviewer,
                                  "reason": "checked by the test suite"}), 200, 201)
        return user, cls.login(user["email"])

    @classmethod
    def create_project(cls, lab_client, **body):
        body.setdefault("name", unique("project"))
        return cls._must(lab_client.post("/api/v1/projects", body), 201)

    @classmethod
    def import_items(cls, lab_client, project_id, rows):
        return cls._must(lab_client.post(f"/api/v1/projects/{project_id}/items",
                                         raw=jsonl(rows)), 201)

    @classmethod
    def list_items(cls, lab_client, project_id):
        items, after = [], None
        for _ in range(1000):
            q = {"limit": 100}
            if after:
                q["after"] = after
            page = cls._must(lab_client.get(f"/api/v1/projects/{project_id}/items", query=q), 200)
            items.extend(page["items"])
            after = page.get("next_after")
            if not after:
                return items
        raise AssertionError("items paging did not end")

    @classmethod
    def export(cls, lab_client, project_id, fmt="raw"):
        r = lab_client.get(f"/api/v1/projects/{project_id}/export", query={"format": fmt})
        cls._must(r, 200)
        return r.jsonl()

    @staticmethod
    def next_task(expert_client, project_id=None):
        """POST /work/next; returns the Response (assignment at resp.json["assignment"])."""
        body = {"project_id": project_id} if project_id else {}
        return expert_client.post("/api/v1/work/next", body)

    @staticmethod
    def submit(expert_client, assignment_id, answer, key=None):
        return expert_client.post(f"/api/v1/assignments/{assignment_id}/submit",
                                  {"answer": answer, "idempotency_key": key or unique("key")})
