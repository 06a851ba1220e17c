"""Errors and operations: 401/403/404/405/409, 400 with details naming the field, JSONL
imports with bad lines (422, "line N", nothing stored), request ids, /healthz, /metrics."""

import http.client
import json
import re
import select
import socket
import unittest

from fachwerk_client import PASSWORD, FachwerkTestCase, run_cli, unique


class ErrorsTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        cls.expert_user, cls.expert = cls.create_expert({"finance": 3})
        cls.project = cls.create_project(cls.owner, preset="classification", domain="finance")

    def assertFieldError(self, resp, field, status=400, code="invalid_argument"):
        err = self.assertError(resp, status, code)
        self.assertIn(field, resp.detail_fields, resp.describe())
        return err

    # -- operations ------------------------------------------------------------------------

    def test_healthz(self):
        r = self.assertStatus(self.client().get("/healthz"), 200)
        self.assertEqual(r.json["status"], "ok")
        self.assertIs(r.json["accepting"], True)
        self.assertGreaterEqual(r.json["connections"], 1)
        self.assertGreater(r.json["max_connections"], r.json["connections"])

    def test_metrics_are_prometheus_text(self):
        self.client().get("/healthz")
        self.owner.get("/api/v1/projects")
        # Platform-wide counters would let one lab learn another's volume: operators only.
        self.assertError(self.client().get("/metrics"), 401)
        self.assertError(self.owner.get("/metrics"), 403)
        r = self.assertStatus(self.op.get("/metrics"), 200)
        self.assertTrue(r.header("content-type", ).startswith("text/plain"), r.headers)
        self.assertIn("fachwerk_http_requests_total", r.text)
        self.assertRegex(r.text, re.compile(r"^# TYPE fachwerk_http_requests_total counter$",
                                            re.M))
        self.assertRegex(r.text, re.compile(r"^fachwerk_http_requests_total\{[^}]*\} \d+", re.M))

    def test_version(self):
        r = self.assertStatus(self.client().get("/api/v1/version"), 200)
        self.assertRegex(r.json["version"], r"^\d+\.\d+\.\d+")
        self.assertIn(r.json["version"], run_cli("version").stdout)

    # -- 401 / 403 -------------------------------------------------------------------------

    def test_401_without_or_with_bad_credentials(self):
        anon = self.client()
        for method, path in [("GET", "/api/v1/me"), ("GET", "/api/v1/projects"),
                             ("POST", "/api/v1/work/next"), ("GET", "/api/v1/labs"),
                             ("GET", f"/api/v1/projects/{self.project['id']}")]:
            with self.subTest(path=path):
                self.assertError(anon.request(method, path, {} if method == "POST" else None),
                                 401, "unauthenticated")
        self.assertError(anon.get("/api/v1/me", token="fws_not-a-real-token"), 401,
                         "unauthenticated")
        self.assertError(anon.get("/api/v1/me", headers={"Authorization": "Basic Zm9vOmJhcg=="}),
                         401, "unauthenticated")

    def test_login_failures_look_the_same(self):
        anon = self.client()
        wrong = anon.post("/api/v1/auth/login", {"email": self.owner_user["email"],
                                                 "password": "not-the-password"})
        nobody = anon.post("/api/v1/auth/login", {"email": "nobody@example.org",
                                                  "password": "not-the-password"})
        self.assertError(wrong, 401, "unauthenticated")
        self.assertError(nobody, 401, "unauthenticated")
        self.assertEqual(wrong.error["message"], nobody.error["message"])

    def test_login_sets_the_session_cookie(self):
        r = self.assertStatus(self.client().post("/api/v1/auth/login", {
            "email": self.expert_user["email"], "password": PASSWORD}), 200)
        cookie = r.header("set-cookie") or ""
        self.assertIn("fw_session=", cookie)
        self.assertIn("httponly", cookie.lower())
        self.assertIn("samesite=strict", cookie.lower())
        self.assertEqual(r.json["user"]["id"], self.expert_user["id"])
        value = cookie.split("fw_session=", 1)[1].split(";", 1)[0]
        me = self.client().get("/api/v1/me", headers={"Cookie": f"fw_session={value}"})
        self.assertEqual(self.assertStatus(me, 200).json["id"], self.expert_user["id"])

    def test_403_for_the_wrong_role(self):
        self.assertError(self.expert.post("/api/v1/projects", {"name": "x",
                                                               "preset": "classification"}),
                         403, "permission_denied")
        self.assertError(self.owner.post("/api/v1/labs", {"name": "x", "slug": unique("s")}),
                         403, "permission_denied")
        self.assertError(self.owner.post("/api/v1/work/next", {}), 403, "permission_denied")
        self.assertError(self.op.get("/api/v1/projects"), 403, "permission_denied")

    # -- 400 -------------------------------------------------------------------------------

    def test_400_names_the_field_of_a_malformed_body(self):
        o = self.owner
        r = o.post("/api/v1/projects", raw='{"name": "x", ', content_type="application/json")
        self.assertFieldError(r, "body")
        self.assertFieldError(o.post("/api/v1/projects", [1, 2]), "body")
        self.assertFieldError(o.post("/api/v1/projects", {"preset": "classification"}), "name")
        self.assertFieldError(o.post("/api/v1/projects", {"name": 5, "preset": "sft"}), "name")
        self.assertFieldError(o.post("/api/v1/projects", {"name": "x", "preset": "sft", "domain": None,
                                                          "redundancy": 0}), "redundancy")
        self.assertFieldError(o.post("/api/v1/projects", {"name": "x", "preset": "sft", "domain": None,
                                                          "redundancy": "two"}), "redundancy")
        self.assertFieldError(o.post("/api/v1/projects", {"name": "x", "preset": "sft", "domain": None,
                                                          "gold_rate": 1.5}), "gold_rate")
        self.assertFieldError(o.post("/api/v1/projects", {"name": "x", "preset": "sft", "domain": None,
                                                          "min_level": 9}), "min_level")
        self.assertFieldError(o.post("/api/v1/projects", {"name": "x", "preset": "sft", "domain": None,
                                                          "lease_seconds": 30}), "lease_seconds")
        self.assertFieldError(o.post("/api/v1/projects", {"name": "x", "preset": "astrology",
                                                          "domain": None}),
                              "preset")
        self.assertFieldError(o.post("/api/v1/projects", {"name": "x", "preset": "sft", "domain": None,
                                                          "colour": "red"}), "colour")
        r = o.post("/api/v1/projects", {"name": "x", "domain": None, "template": {
            "questions": [{"name": "q", "type": "label", "options": []},
                          {"name": "Bad Name", "type": "text"}]}})
        self.assertFieldError(r, "template.questions[0].options")
        self.assertFieldError(r, "template.questions[1].name")
        self.assertFieldError(o.patch(f"/api/v1/projects/{self.project['id']}",
                                      {"status": "sleeping"}), "status")
        self.assertFieldError(self.op.post("/api/v1/labs", {"name": "no slug"}), "slug")
        self.assertFieldError(self.op.post("/api/v1/users", {"name": "n", "password": PASSWORD,
                                                             "role": "expert"}), "email")
        self.assertFieldError(self.op.put(
            f"/api/v1/experts/{self.expert_user['id']}/qualifications/finance", {"level": 9, "reason": "r"}),
            "level")
        self.assertFieldError(self.client().post("/api/v1/auth/login", {"password": "x"}),
                              "email")
        self.assertFieldError(self.expert.post("/api/v1/tokens", {"name": 7}), "name")
        self.assertFieldError(self.expert.post("/api/v1/me/password", {
            "current_password": PASSWORD, "new_password": "short"}), "new_password")
        # Nothing of the above made a project.
        listed = self.assertStatus(o.get("/api/v1/projects"), 200).json
        listed = listed.get("projects", listed) if isinstance(listed, dict) else listed
        self.assertEqual([p["name"] for p in listed if p["name"] in ("x", "5")], [])

    # -- 404 / 405 / 409 -------------------------------------------------------------------

    def test_404_for_unknown_ids(self):
        pid = self.project["id"]
        items = self.import_items(self.owner, pid, [{"text": "x"}])
        item = self.list_items(self.owner, pid)[0]
        self.assertTrue(items)
        cases = [
            (self.owner, "GET", "/api/v1/projects/prj_aaaaaaaaaaaaa"),
            (self.owner, "GET", "/api/v1/projects/not-an-id"),
            (self.owner, "GET", f"/api/v1/projects/{item['id']}"),  # an id of another kind
            (self.owner, "GET", f"/api/v1/projects/{pid}/items/itm_aaaaaaaaaaaaa"),
            (self.owner, "GET", f"/api/v1/projects/{pid}/items/{pid}"),
            (self.owner, "GET", "/api/v1/projects/prj_aaaaaaaaaaaaa/export?format=raw"),
            (self.owner, "DELETE", "/api/v1/tokens/tok_aaaaaaaaaaaaa"),
            (self.op, "GET", "/api/v1/labs/lab_aaaaaaaaaaaaa"),
            (self.op, "PUT", "/api/v1/experts/usr_aaaaaaaaaaaaa/qualifications/finance"),
            (self.expert, "POST", "/api/v1/assignments/asg_aaaaaaaaaaaaa/heartbeat"),
            (self.expert, "POST", "/api/v1/assignments/asg_aaaaaaaaaaaaa/submit"),
        ]
        bodies = {"PUT": {"level": 3, "reviewer": False},
                  "POST": {"answer": {"label": "correct"}, "idempotency_key": "k"}}
        for client, method, path in cases:
            with self.subTest(path=path):
                self.assertError(client.request(method, path, bodies.get(method)), 404,
                                 "not_found")

    def test_unknown_route_and_method(self):
        self.assertError(self.owner.get("/api/v1/no/such/thing"), 404, "not_found",
                         "no_such_route")
        self.assertStatus(self.owner.delete("/api/v1/projects"), 405)
        self.assertStatus(self.client().request("PUT", "/healthz"), 405)

    def test_export_format_must_be_known(self):
        r = self.owner.get(f"/api/v1/projects/{self.project['id']}/export",
                           query={"format": "parquet"})
        self.assertFieldError(r, "format")

    def test_lab_owner_cannot_mint_operators_or_experts(self):
        for role in ("operator", "expert", "admin"):
            with self.subTest(role=role):
                email = f"{unique('escalate')}@example.org"
                r = self.owner.post("/api/v1/lab/members", {
                    "email": email, "name": "Mallory", "password": PASSWORD, "role": role})
                self.assertFieldError(r, "role")
                self.assertError(self.client().post("/api/v1/auth/login", {
                    "email": email, "password": PASSWORD}), 401)
        r = self.assertStatus(self.owner.post("/api/v1/lab/members", {
            "email": f"{unique('member')}@example.org", "role": "member"}), 202)
        self.assertEqual((r.json["invitation"]["role"], r.json["invitation"]["state"]),
                         ("member", "pending"))

    def test_owner_and_member_need_a_lab(self):
        for role in ("owner", "member"):
            r = self.op.post("/api/v1/users", {"email": f"{unique(role)}@example.org",
                                               "name": "No Lab", "password": PASSWORD,
                                               "role": role})
            self.assertFieldError(r, "lab_id")

    def test_409_for_taken_slug_and_email(self):
        self.assertError(self.op.post("/api/v1/labs", {"name": "again",
                                                       "slug": self.lab["slug"]}), 409,
                         "conflict")
        self.assertError(self.op.post("/api/v1/users", {
            "email": self.expert_user["email"], "name": "Twin", "password": PASSWORD,
            "role": "expert"}), 409, "conflict")

    # -- JSONL import ----------------------------------------------------------------------

    def test_import_with_bad_lines_answers_422_per_line_and_stores_nothing(self):
        p = self.create_project(self.owner, preset="classification", domain="finance")
        body = "\n".join([
            json.dumps({"text": "fine"}),                                     # line 1
            json.dumps({"data": {"text": "fine too"}, "priority": 3}),       # line 2
            '{"data": {"text": "broken"',                                     # line 3
            json.dumps({"data": {"not_text": "x"}}),                          # line 4
            json.dumps({"data": {"text": "x"}, "gold": {"label": "maybe"}}),  # line 5
            json.dumps({"data": {"text": 5}}),                                # line 6
            json.dumps({"text": "fine at the end"}),                          # line 7
            '{"data": {"text": "one", "text": "two"}}',                       # line 8
        ]) + "\n"
        r = self.owner.post(f"/api/v1/projects/{p['id']}/items", raw=body)
        err = self.assertError(r, 422, "unprocessable")
        by_line = {}
        for d in err["details"]:
            by_line.setdefault(d["field"], []).append(d.get("code"))
        self.assertEqual(sorted(by_line), ["line 3", "line 4", "line 5", "line 6", "line 8"],
                         r.describe())
        self.assertEqual(by_line["line 3"], ["invalid_json"])
        self.assertEqual(by_line["line 8"], ["duplicate_key"])
        # docs/api.md names the code "missing_field"; the template's own word is "required".
        self.assertIn(by_line["line 4"], (["missing_field"], ["required"]))
        counts = self.assertStatus(self.owner.get(f"/api/v1/projects/{p['id']}"),
                                   200).json["counts"]
        self.assertEqual(counts["items"], 0)
        self.assertEqual(self.list_items(self.owner, p["id"]), [])

        # At most 100 details, however many lines are bad.
        bad = "".join("{oops\n" for _ in range(250))
        r = self.owner.post(f"/api/v1/projects/{p['id']}/items", raw=bad)
        err = self.assertError(r, 422, "unprocessable")
        self.assertLessEqual(len(err["details"]), 100)
        self.assertEqual(err["details"][0]["field"], "line 1")

        # Empty lines are skipped; a clean body is stored whole.
        ok = "\n" + json.dumps({"text": "a"}) + "\n\n   \n" + json.dumps({"text": "b"})
        summary = self.assertStatus(self.owner.post(f"/api/v1/projects/{p['id']}/items",
                                                    raw=ok), 201).json
        self.assertEqual(summary["items"], 2)
        self.assertEqual(len(self.list_items(self.owner, p["id"])), 2)

    # -- request ids -----------------------------------------------------------------------

    def test_request_id_is_echoed_or_made(self):
        r = self.owner.get("/api/v1/me", headers={"X-Request-Id": "api-test.0123_abc"})
        self.assertEqual(r.header("x-request-id"), "api-test.0123_abc")
        r = self.owner.get("/api/v1/projects/prj_aaaaaaaaaaaaa",
                           headers={"X-Request-Id": "trace-404-check"})
        self.assertEqual(r.header("x-request-id"), "trace-404-check")
        self.assertEqual(r.error["request_id"], "trace-404-check")
        a, b = self.client().get("/healthz"), self.client().get("/healthz")
        self.assertTrue(a.header("x-request-id"))
        self.assertNotEqual(a.header("x-request-id"), b.header("x-request-id"))
        r = self.client().get("/api/v1/me", headers={"X-Request-Id": "bad id with spaces!"})
        self.assertTrue(r.header("x-request-id"))
        self.assertNotEqual(r.header("x-request-id"), "bad id with spaces!")
        self.assertEqual(r.error["request_id"], r.header("x-request-id"))

    # -- body size -------------------------------------------------------------------------

    def test_body_over_the_limit_gets_413(self):
        """A JSON body over max_body_bytes (64 MiB) is refused with 413 and reason
        body_too_large, as soon as its Content-Length says so or while it streams in."""
        size = 64 * 1024 * 1024 + 1024
        status_line, body = self.post_oversized("/api/v1/projects", size)
        self.assertTrue(status_line, "the server closed the connection without a response")
        self.assertIn(" 413 ", status_line + " ", status_line)
        self.assertEqual(json.loads(body)["error"]["reason"], "body_too_large", body[:500])

    def post_oversized(self, path, size):
        """Sends a POST announcing `size` bytes, then the bytes while the server has not
        answered. Returns (status line, body text); ("", "") when no response came."""
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        try:
            sock.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          f"Authorization: Bearer {self.owner.token}\r\n"
                          f"Content-Type: application/json\r\nContent-Length: {size}\r\n"
                          f"\r\n").encode())
            chunk, sent = b" " * (1 << 20), 0
            try:
                while sent < size and not select.select([sock], [], [], 0)[0]:
                    n = min(len(chunk), size - sent)
                    sock.sendall(chunk[:n])
                    sent += n
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered and closed before reading it all
            data = b""
            try:
                while b"\r\n\r\n" not in data or len(data) < self._expected_len(data):
                    part = sock.recv(65536)
                    if not part:
                        break
                    data += part
            except (ConnectionResetError, socket.timeout):
                pass
        finally:
            sock.close()
        head, _, body = data.partition(b"\r\n\r\n")
        return head.split(b"\r\n", 1)[0].decode(errors="replace"), body.decode(errors="replace")

    @staticmethod
    def _expected_len(data):
        head, sep, _ = data.partition(b"\r\n\r\n")
        m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        return len(head) + len(sep) + (int(m.group(1)) if m else 0)

    def test_bodies_over_one_mebibyte_are_accepted(self):
        """Imports stream (up to max_import_bytes) and JSON bodies may be up to 64 MiB; a
        body of a few MiB must get an answer, not a dropped connection."""
        p = self.create_project(self.owner, preset="classification", domain="finance")
        rows = [{"text": f"line {n} " + "x" * 90} for n in range(30000)]  # ~3 MiB
        body = "".join(json.dumps(r) + "\n" for r in rows)
        self.assertGreater(len(body), 2 * 1024 * 1024)
        try:
            r = self.owner.post(f"/api/v1/projects/{p['id']}/items", raw=body)
        except (OSError, http.client.HTTPException) as e:
            self.fail(f"a {len(body)}-byte JSONL import got no response ({e!r})")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["items"], len(rows))
        try:
            r = self.owner.post("/api/v1/projects", {
                "name": unique("big"), "preset": "classification", "domain": None,
                "description": "d" * (2 * 1024 * 1024)})
        except (OSError, http.client.HTTPException) as e:
            self.fail(f"a 2 MiB JSON body got no response ({e!r})")
        self.assertLess(r.status, 500, r.describe())
        self.assertNotEqual(r.status, 413, r.describe())

if __name__ == "__main__":
    unittest.main()
