"""What a browser or a sloppy client can be tricked into, and what the server says about it:
cross-site requests authenticated by the session cookie, security headers on every response,
the Secure cookie flag, duplicate JSON keys, malformed HTTP, and an oversized upload refused
before `100 Continue`."""

import socket

from fachwerk_client import FachwerkTestCase, PASSWORD, ServerProcess, jsonl


def raw_exchange(port, data, read_until_close=True, timeout=10):
    """Sends bytes on a fresh connection and returns what comes back until the server closes
    (or the first read, without read_until_close)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
            if not read_until_close:
                break
        return out
    finally:
        s.close()


class CsrfTest(FachwerkTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        r = cls.client().post("/api/v1/auth/login",
                              {"email": cls.owner_user["email"], "password": PASSWORD})
        cls.cookie = "fw_session=" + r.json["token"]

    def host(self):
        return f"127.0.0.1:{self.server.port}"

    def cookie_post(self, path, body, headers, content_type="application/json"):
        hdrs = {"Cookie": self.cookie, **headers}
        if content_type == "application/json":
            return self.client().request("POST", path, body, headers=hdrs, token="")
        return self.client().request("POST", path, raw=body, content_type=content_type, headers=hdrs,
                                     token="")

    def test_a_cross_site_form_cannot_create_a_token(self):
        r = self.cookie_post("/api/v1/tokens", '{"name":"stolen"}',
                             {"Origin": "https://evil.example"}, content_type="text/plain")
        self.assertError(r, 403, "permission_denied", "cross_site_request")
        self.assertNotIn("token", r.json)
        r = self.cookie_post("/api/v1/projects", {"name": "x", "preset": "sft", "domain": "physics"},
                             {"Origin": "https://evil.example"})
        self.assertError(r, 403, "permission_denied", "cross_site_request")
        r = self.cookie_post("/api/v1/tokens", {"name": "stolen"}, {"Sec-Fetch-Site": "cross-site"})
        self.assertError(r, 403, "permission_denied", "cross_site_request")
        tokens = self.owner.get("/api/v1/tokens").json["tokens"]
        self.assertEqual([t for t in tokens if t["name"] == "stolen"], [])

    def test_a_cookie_request_must_say_where_it_comes_from(self):
        r = self.cookie_post("/api/v1/tokens", {"name": "nowhere"}, {})
        self.assertError(r, 403, "permission_denied", "origin_required")

    def test_a_cookie_request_must_send_json(self):
        r = self.cookie_post("/api/v1/tokens", '{"name":"form"}', {"Origin": f"http://{self.host()}"},
                             content_type="text/plain")
        err = self.assertError(r, 400, "invalid_argument", "unsupported_content_type")
        self.assertIn("content-type", [d["field"] for d in err["details"]])

    def test_the_same_origin_app_works(self):
        r = self.cookie_post("/api/v1/tokens", {"name": "app"}, {"Origin": f"http://{self.host()}"})
        self.assertStatus(r, 201)
        r = self.cookie_post("/api/v1/tokens", {"name": "app2"}, {"Sec-Fetch-Site": "same-origin"})
        self.assertStatus(r, 201)
        # Reads need no Origin.
        r = self.client().get("/api/v1/tokens", headers={"Cookie": self.cookie}, token="")
        self.assertStatus(r, 200)

    def test_the_same_origin_import_needs_no_json_content_type(self):
        p = self.create_project(self.owner, preset="classification", domain="chemistry")
        r = self.client().request("POST", f"/api/v1/projects/{p['id']}/items",
                                  raw=jsonl([{"text": "one"}]), token="",
                                  headers={"Cookie": self.cookie, "Origin": f"http://{self.host()}"})
        self.assertStatus(r, 201)
        r = self.client().request("POST", f"/api/v1/projects/{p['id']}/items",
                                  raw=jsonl([{"text": "two"}]), token="",
                                  headers={"Cookie": self.cookie, "Origin": "https://evil.example"})
        self.assertError(r, 403, "permission_denied", "cross_site_request")

    def test_bearer_clients_are_unaffected(self):
        r = self.owner.request("POST", "/api/v1/tokens", raw='{"name":"script"}',
                               content_type="text/plain", headers={"Origin": "https://anywhere.example"})
        self.assertStatus(r, 201)

    def test_a_cross_site_login_is_refused(self):
        r = self.client().post("/api/v1/auth/login",
                               {"email": self.owner_user["email"], "password": PASSWORD},
                               headers={"Origin": "https://evil.example"})
        self.assertError(r, 403, "permission_denied", "cross_site_request")
        self.assertIsNone(r.header("set-cookie"))


class HeadersTest(FachwerkTestCase):
    def test_every_response_carries_the_security_headers(self):
        for path in ("/healthz", "/api/v1/version", "/api/v1/nothing-here"):
            r = self.client().get(path)
            csp = r.header("content-security-policy") or ""
            self.assertIn("script-src 'self'", csp, path)
            self.assertIn("frame-ancestors 'none'", csp, path)
            self.assertNotIn("unsafe-eval", csp, path)
            self.assertEqual(r.header("x-content-type-options"), "nosniff", path)
            self.assertEqual(r.header("x-frame-options"), "DENY", path)
            self.assertEqual(r.header("cache-control"), "no-store", path)

    def test_a_token_is_never_cached(self):
        r = self.client().post("/api/v1/auth/login", {"email": self.operator_email, "password": PASSWORD})
        self.assertStatus(r, 200)
        self.assertEqual(r.header("cache-control"), "no-store")

    def test_the_cookie_is_not_secure_on_loopback_by_default(self):
        r = self.client().post("/api/v1/auth/login", {"email": self.operator_email, "password": PASSWORD})
        self.assertNotIn("secure", (r.header("set-cookie") or "").lower())


class SecureCookieTest(FachwerkTestCase):
    @classmethod
    def setUpClass(cls):
        import os
        import tempfile
        fd, path = tempfile.mkstemp(suffix=".conf")
        with os.fdopen(fd, "w") as f:
            f.write("secure_cookies = true\n")
        cls.addClassCleanup(os.remove, path)
        cls.server_args = ("--config", path)
        super().setUpClass()

    def test_configured_secure_cookies(self):
        r = self.client().post("/api/v1/auth/login", {"email": self.operator_email, "password": PASSWORD})
        self.assertIn("; secure", (r.header("set-cookie") or "").lower())


class ParsingTest(FachwerkTestCase):
    def test_duplicate_json_keys_are_refused(self):
        r = self.client().request("POST", "/api/v1/auth/login",
                                  raw=f'{{"email":"{self.operator_email}","password":"wrong",'
                                      f'"password":"{PASSWORD}"}}',
                                  content_type="application/json")
        err = self.assertError(r, 400, "invalid_argument")
        self.assertEqual(err["details"][0]["code"], "duplicate_key")
        self.assertIsNone(r.header("set-cookie"))
        r = self.op.request("POST", "/api/v1/labs", raw='{"name":"a","slug":"dup-a","x":{"k":1,"k":2}}',
                            content_type="application/json")
        self.assertError(r, 400, "invalid_argument")
        # The same key in different objects is fine.
        r = self.op.request("POST", "/api/v1/labs", raw='{"name":"a","slug":"dup-b","x":{"name":1}}',
                            content_type="application/json")
        self.assertStatus(r, 201)

    def test_malformed_http_gets_400_before_the_close(self):
        for garbage in (b"THIS IS NOT HTTP\r\n\r\n", b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
                        b"GET / HTTP/9.9\r\n\r\n"):
            reply = raw_exchange(self.server.port, garbage)
            self.assertTrue(reply.startswith(b"HTTP/1.1 400"), (garbage, reply[:200]))
            self.assertIn(b"malformed_request", reply)
        reply = raw_exchange(self.server.port, b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 431"), reply[:200])
        self.assertEqual(self.client().get("/healthz").status, 200)

    def test_an_oversized_upload_gets_413_without_100_continue(self):
        reply = raw_exchange(self.server.port,
                             b"POST /api/v1/labs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             b"Expect: 100-continue\r\nContent-Length: 999999999999\r\n\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 413"), reply[:200])
        self.assertNotIn(b"100 Continue", reply)
        self.assertIn(b"body_too_large", reply)

    def test_an_unauthenticated_upload_is_refused_before_its_body(self):
        reply = raw_exchange(self.server.port,
                             b"POST /api/v1/projects/prj_x/items HTTP/1.1\r\nHost: x\r\n"
                             b"Expect: 100-continue\r\nContent-Length: 1000000\r\n\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 401"), reply[:200])
        self.assertNotIn(b"100 Continue", reply)


if __name__ == "__main__":
    import unittest
    unittest.main()
