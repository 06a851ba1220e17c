"""Accounts: login throttling and the bound on password hashing, sessions (listing, revoking,
what a password change or an operator's reset ends), logout of any credential, lab
invitations (the lab learns nothing about who has an account) and deactivation."""

import concurrent.futures
import email
import glob
import os
import tempfile
import time

from fachwerk_client import PASSWORD, FachwerkTestCase, unique


def outbox_messages(data_dir):
    """The messages in the data directory's outbox, oldest first, parsed."""
    out = []
    for path in sorted(glob.glob(os.path.join(data_dir, "outbox", "*.eml"))):
        with open(path, "rb") as f:
            out.append(email.message_from_bytes(f.read()))
    return out


def secret_in(message):
    body = message.get_payload(decode=True).decode("utf-8")
    for word in body.split():
        if word.startswith("fwi_"):
            return word.strip('",')
    raise AssertionError(f"no invitation code in {body!r}")


class AccountsTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        cls.member_user = cls.create_user("member", cls.lab["id"])
        cls.member = cls.login(cls.member_user["email"])
        cls.other_lab, _, cls.other_owner = cls.create_lab_with_owner()

    def invite(self, address, role="member", owner=None):
        r = (owner or self.owner).post("/api/v1/lab/members", {"email": address, "role": role})
        self.assertStatus(r, 202)
        return r.json["invitation"]

    def last_secret_for(self, address):
        for m in reversed(outbox_messages(self.data_dir)):
            if m["To"] == address.lower():
                return secret_in(m)
        self.fail(f"no message to {address} in the outbox")

    # -- sessions ---------------------------------------------------------------------------

    def test_sessions_are_listed_and_revoked_one_by_one(self):
        user = self.create_user("expert")
        anon = self.client()
        r = anon.post("/api/v1/auth/login", {"email": user["email"], "password": PASSWORD},
                      headers={"User-Agent": "probe-agent/1.0"})
        first = self.client(self.assertStatus(r, 200).json["token"])
        second = self.login(user["email"])
        listed = self.assertStatus(second.get("/api/v1/me/sessions"), 200).json["sessions"]
        self.assertEqual(len(listed), 2)
        self.assertEqual([s["current"] for s in listed], [True, False])
        self.assertTrue(all(s["id"].startswith("ses_") for s in listed))
        self.assertEqual(listed[1]["user_agent"], "probe-agent/1.0")
        self.assertEqual(set(listed[0]), {"id", "created_at", "expires_at", "user_agent",
                                          "address", "current"})
        self.assertNotIn(first.token, second.get("/api/v1/me/sessions").text)
        # Someone else's session id is not found, and an undecodable one neither.
        self.assertError(self.owner.delete(f"/api/v1/me/sessions/{listed[1]['id']}"), 404,
                         "not_found")
        self.assertError(second.delete("/api/v1/me/sessions/ses_nope"), 404, "not_found")
        self.assertStatus(second.delete(f"/api/v1/me/sessions/{listed[1]['id']}"), 204)
        self.assertError(first.get("/api/v1/me"), 401, "unauthenticated")
        self.assertStatus(second.get("/api/v1/me"), 200)

    def test_revoking_all_sessions_keeps_the_current_one_unless_all_is_true(self):
        user = self.create_user("expert")
        a, b, c = (self.login(user["email"]) for _ in range(3))
        api = self.assertStatus(a.post("/api/v1/tokens", {"name": "script"}), 201).json
        self.assertFieldError(a.delete("/api/v1/me/sessions", query={"all": "maybe"}), "all")
        r = self.assertStatus(a.delete("/api/v1/me/sessions"), 200)
        self.assertEqual(r.json, {"revoked": 2})
        self.assertStatus(a.get("/api/v1/me"), 200)
        self.assertError(b.get("/api/v1/me"), 401)
        self.assertError(c.get("/api/v1/me"), 401)
        r = self.assertStatus(a.delete("/api/v1/me/sessions", query={"all": "true"}), 200)
        self.assertEqual(r.json, {"revoked": 1})
        self.assertError(a.get("/api/v1/me"), 401)
        self.assertStatus(self.client(api["token"]).get("/api/v1/me"), 200)

    def test_a_password_change_ends_the_other_sessions_only(self):
        user = self.create_user("expert")
        mine, other = self.login(user["email"]), self.login(user["email"])
        api = self.assertStatus(mine.post("/api/v1/tokens", {"name": "script"}), 201).json
        self.assertStatus(mine.post("/api/v1/me/password", {
            "current_password": PASSWORD, "new_password": "a different passphrase"}), 204)
        self.assertStatus(mine.get("/api/v1/me"), 200)
        self.assertError(other.get("/api/v1/me"), 401)
        self.assertStatus(self.client(api["token"]).get("/api/v1/me"), 200)

    def test_logout_revokes_an_api_token_too(self):
        user = self.create_user("expert")
        session = self.login(user["email"])
        api = self.client(self.assertStatus(
            session.post("/api/v1/tokens", {"name": "script"}), 201).json["token"])
        r = self.assertStatus(api.post("/api/v1/auth/logout"), 204)
        self.assertIn("Max-Age=0", r.header("set-cookie") or "")
        self.assertError(api.get("/api/v1/me"), 401)
        self.assertStatus(session.get("/api/v1/me"), 200)

    def test_delete_tokens_revokes_every_api_token_of_the_caller(self):
        user = self.create_user("expert")
        session = self.login(user["email"])
        tokens = [self.assertStatus(session.post("/api/v1/tokens", {"name": f"t{n}"}), 201).json
                  for n in range(2)]
        theirs = self.assertStatus(self.owner.post("/api/v1/tokens", {"name": "x"}), 201).json
        r = self.assertStatus(session.delete("/api/v1/tokens"), 200)
        self.assertEqual(r.json, {"revoked": 2})
        for t in tokens:
            self.assertError(self.client(t["token"]).get("/api/v1/me"), 401)
        self.assertStatus(self.client(theirs["token"]).get("/api/v1/me"), 200)
        self.assertStatus(session.get("/api/v1/me"), 200)
        self.assertEqual(self.assertStatus(session.get("/api/v1/tokens"), 200).json["tokens"], [])

    # -- operator: reset, deactivate, reactivate --------------------------------------------

    def test_an_operator_reset_ends_every_session(self):
        user = self.create_user("expert")
        a, b = self.login(user["email"]), self.login(user["email"])
        api = self.assertStatus(a.post("/api/v1/tokens", {"name": "script"}), 201).json
        path = f"/api/v1/users/{user['id']}/password"
        self.assertFieldError(self.op.post(path, {"password": "short"}), "password")
        self.assertError(self.op.post("/api/v1/users/usr_nope/password",
                                      {"password": "reset by the operator"}), 404, "not_found")
        self.assertStatus(self.op.post(path, {"password": "reset by the operator"}), 204)
        self.assertError(a.get("/api/v1/me"), 401)
        self.assertError(b.get("/api/v1/me"), 401)
        self.assertStatus(self.client(api["token"]).get("/api/v1/me"), 200)
        self.login(user["email"], "reset by the operator")

    def test_deactivation_ends_everything_and_reactivation_allows_login_again(self):
        user = self.create_user("expert")
        session = self.login(user["email"])
        api = self.assertStatus(session.post("/api/v1/tokens", {"name": "script"}), 201).json
        r = self.assertStatus(self.op.post(f"/api/v1/users/{user['id']}/deactivate"), 200)
        self.assertEqual((r.json["id"], r.json["disabled"]), (user["id"], True))
        self.assertError(session.get("/api/v1/me"), 401)
        self.assertError(self.client(api["token"]).get("/api/v1/me"), 401)
        self.assertError(self.client().post("/api/v1/auth/login", {
            "email": user["email"], "password": PASSWORD}), 401)
        r = self.assertStatus(self.op.post(f"/api/v1/users/{user['id']}/reactivate"), 200)
        self.assertFalse(r.json["disabled"])
        self.assertError(self.client(api["token"]).get("/api/v1/me"), 401)
        self.login(user["email"])

    def test_deactivation_errors(self):
        me = self.assertStatus(self.op.get("/api/v1/me"), 200).json
        self.assertError(self.op.post(f"/api/v1/users/{me['id']}/deactivate"), 400,
                         "invalid_argument", "self")
        for action in ("deactivate", "reactivate"):
            self.assertError(self.op.post(f"/api/v1/users/usr_nope/{action}"), 404, "not_found")
        self.assertError(self.owner.post(
            f"/api/v1/users/{self.member_user['id']}/deactivate"), 403, "permission_denied")

    # -- invitations ------------------------------------------------------------------------

    def test_inviting_answers_the_same_whether_or_not_the_address_has_an_account(self):
        expert = self.create_user("expert")
        fresh = f"{unique('fresh')}@example.org"
        a = self.owner.post("/api/v1/lab/members", {"email": fresh, "role": "member"})
        b = self.owner.post("/api/v1/lab/members", {"email": expert["email"], "role": "member"})
        self.assertStatus(a, 202)
        self.assertStatus(b, 202)
        strip = lambda inv: {k: v for k, v in inv.items() if k not in ("id", "email",
                                                                      "created_at",
                                                                      "expires_at")}
        self.assertEqual(strip(a.json["invitation"]), strip(b.json["invitation"]))
        self.assertEqual(set(a.json["invitation"]), {"id", "email", "role", "created_at",
                                                     "expires_at", "state"})
        self.assertEqual(a.json["invitation"]["state"], "pending")
        self.assertNotIn("fwi_", a.text + b.text)
        self.assertEqual(set(a.headers) - {"date"}, set(b.headers) - {"date"})
        # The invitee, and only the invitee, learns that the address is taken.
        r = self.client().post("/api/v1/invitations/accept", {
            "token": self.last_secret_for(expert["email"]), "name": "Twin",
            "password": "a good long password"})
        self.assertError(r, 409, "conflict", "email_taken")

    def test_an_invitee_accepts_and_is_logged_in_as_a_lab_user(self):
        address = f"{unique('Invitee')}@example.org"
        inv = self.invite(address, role="owner")
        listed = self.assertStatus(self.member.get("/api/v1/lab/invitations"), 200).json
        self.assertIn(inv["id"], [i["id"] for i in listed["invitations"]])
        secret = self.last_secret_for(address)
        anon = self.client()
        self.assertFieldError(anon.post("/api/v1/invitations/accept", {
            "token": secret, "name": "Ivy", "password": "short"}), "password")
        self.assertFieldError(anon.post("/api/v1/invitations/accept", {
            "token": secret, "name": "  ", "password": "a good long password"}), "name")
        r = self.assertStatus(anon.post("/api/v1/invitations/accept", {
            "token": secret, "name": "Ivy", "password": "a good long password"}), 201)
        self.assertEqual((r.json["user"]["email"], r.json["user"]["role"],
                          r.json["user"]["lab_id"]), (address.lower(), "owner", self.lab["id"]))
        self.assertIn("fw_session=", r.header("set-cookie") or "")
        me = self.assertStatus(self.client(r.json["token"]).get("/api/v1/me"), 200).json
        self.assertEqual(me["email"], address.lower())
        members = self.assertStatus(self.owner.get("/api/v1/lab/members"), 200).text
        self.assertIn(r.json["user"]["id"], members)
        self.assertError(anon.post("/api/v1/invitations/accept", {
            "token": secret, "name": "Ivy", "password": "a good long password"}), 404,
            "not_found", "invitation_invalid")
        self.assertNotIn(inv["id"], self.owner.get("/api/v1/lab/invitations").text)
        self.assertError(self.owner.delete(f"/api/v1/lab/invitations/{inv['id']}"), 409,
                         "conflict", "invitation_accepted")

    def test_a_withdrawn_invitation_cannot_be_accepted(self):
        address = f"{unique('withdrawn')}@example.org"
        inv = self.invite(address)
        self.assertError(self.other_owner.delete(f"/api/v1/lab/invitations/{inv['id']}"), 404,
                         "not_found")
        self.assertError(self.member.delete(f"/api/v1/lab/invitations/{inv['id']}"), 403,
                         "permission_denied")
        self.assertStatus(self.owner.delete(f"/api/v1/lab/invitations/{inv['id']}"), 204)
        self.assertStatus(self.owner.delete(f"/api/v1/lab/invitations/{inv['id']}"), 204)
        self.assertError(self.owner.delete("/api/v1/lab/invitations/inv_nope"), 404)
        self.assertError(self.client().post("/api/v1/invitations/accept", {
            "token": self.last_secret_for(address), "name": "W",
            "password": "a good long password"}), 404, "not_found", "invitation_invalid")

    def test_invitation_requests_are_checked(self):
        self.assertFieldError(self.owner.post("/api/v1/lab/members", {
            "email": "not an address", "role": "member"}), "email")
        for role in ("expert", "operator", "king"):
            self.assertFieldError(self.owner.post("/api/v1/lab/members", {
                "email": f"{unique('r')}@example.org", "role": role}), "role")
        self.assertError(self.member.post("/api/v1/lab/members", {
            "email": f"{unique('m')}@example.org", "role": "member"}), 403, "permission_denied")
        self.assertError(self.client().post("/api/v1/invitations/accept", {
            "token": "fwi_made_up", "name": "X", "password": "a good long password"}), 404,
            "not_found", "invitation_invalid")

    def test_an_invitation_message_waits_in_the_outbox(self):
        address = f"{unique('outbox')}@example.org"
        self.invite(address)
        m = [m for m in outbox_messages(self.data_dir) if m["To"] == address][-1]
        for header in ("From", "To", "Subject", "Date", "Message-ID"):
            self.assertTrue(m[header], header)
        self.assertIn("waiting in", self.server.log_tail(20000))

    def assertFieldError(self, resp, field):
        self.assertError(resp, 400, "invalid_argument")
        self.assertIn(field, resp.detail_fields, resp.describe())


def fail_until_throttled(test, anon, emails, free):
    """Sends `free` wrong logins (all answered 401), then more until one answers 429 (the
    server counts whole seconds, so the first 1 s wait may be over before the next request);
    returns that answer."""
    emails = iter(emails)
    for _ in range(free):
        test.assertError(anon.post("/api/v1/auth/login", {
            "email": next(emails), "password": "wrong password!"}), 401, "unauthenticated")
    for _ in range(4):
        r = anon.post("/api/v1/auth/login", {"email": next(emails), "password": "wrong password!"})
        if r.status == 429:
            test.assertError(r, 429, "resource_exhausted", "too_many_attempts")
            values = r.header_values("retry-after")
            test.assertEqual(len(values), 1, r.describe())
            test.assertIn(values[0], ("1", "2", "4"), r.describe())
            return r
        test.assertError(r, 401, "unauthenticated")
    test.fail("failed logins were never throttled")


class AccountThrottleTest(FachwerkTestCase):
    """Five free failures per account, known or not, then waits (at most 19 failures from
    this address in all, below its own limit)."""

    def test_failed_logins_are_throttled_per_account_with_retry_after(self):
        user = self.create_user("expert")
        anon = self.client()
        r = fail_until_throttled(self, anon, [user["email"]] * 9, 5)
        # The next failure after the wait doubles it (to 2 s or more: at least 1 s is left
        # whatever the second boundaries, so the next request lands inside it).
        time.sleep(int(r.header("retry-after")) + 0.2)
        self.assertError(anon.post("/api/v1/auth/login", {
            "email": user["email"], "password": "wrong password!"}), 401)
        # Even the right password is refused during the wait, and accepted after it.
        r = anon.post("/api/v1/auth/login", {"email": user["email"], "password": PASSWORD})
        self.assertError(r, 429, "resource_exhausted", "too_many_attempts")
        # What is left of the wait in whole seconds: a doubled wait (2, 4 or 8 s) less the time a
        # loaded machine took to get here.
        self.assertIn(r.header("retry-after"), [str(n) for n in range(1, 9)])
        time.sleep(int(r.header("retry-after")) + 0.2)
        self.assertStatus(anon.post("/api/v1/auth/login", {
            "email": user["email"], "password": PASSWORD}), 200)

    def test_unknown_emails_are_throttled_like_known_ones(self):
        ghost = f"{unique('ghost')}@example.org"
        fail_until_throttled(self, self.client(), [ghost] * 9, 5)


class AddressThrottleTest(FachwerkTestCase):
    """Twenty failures from one address, whatever the accounts, throttle the address."""

    def test_an_address_is_throttled_across_accounts(self):
        user = self.create_user("expert")
        anon = self.client()
        emails = [f"probe{n}-{unique('x')}@example.org" for n in range(24)]
        fail_until_throttled(self, anon, emails, 20)
        r = anon.post("/api/v1/auth/login", {"email": user["email"], "password": PASSWORD})
        self.assertError(r, 429, "resource_exhausted", "too_many_attempts")
        self.assertEqual(len(r.header_values("retry-after")), 1)


class ConfiguredMailAndHashingTest(FachwerkTestCase):
    """A server with one password hash at a time, no queue, and a mail_command."""

    @classmethod
    def setUpClass(cls):
        cls.conf_dir = tempfile.mkdtemp(prefix="fw-api-conf-")
        cls.mail_file = os.path.join(cls.conf_dir, "mail.eml")
        cls.fail_flag = os.path.join(cls.conf_dir, "fail")
        config = os.path.join(cls.conf_dir, "fachwerk.conf")
        with open(config, "w") as f:
            f.write("max_concurrent_hashes = 1\nmax_waiting_hashes = 0\n")
            f.write(f"mail_command = test ! -e {cls.fail_flag} && cat > {cls.mail_file}\n")
        cls.server_args = ("--config", config)
        super().setUpClass()
        cls.lab, _, cls.owner = cls.create_lab_with_owner()

    def test_a_mail_command_gets_the_invitation(self):
        address = f"{unique('cmd')}@example.org"
        self.assertStatus(self.owner.post("/api/v1/lab/members",
                                          {"email": address, "role": "member"}), 202)
        with open(self.mail_file, "rb") as f:
            m = email.message_from_bytes(f.read())
        self.assertEqual(m["To"], address)
        self.assertTrue(secret_in(m).startswith("fwi_"))
        self.assertEqual(glob.glob(os.path.join(self.data_dir, "outbox", "*.eml")), [])

    def test_a_failing_mail_command_is_503_and_nothing_is_listed(self):
        open(self.fail_flag, "w").close()
        try:
            address = f"{unique('fail')}@example.org"
            r = self.owner.post("/api/v1/lab/members", {"email": address, "role": "member"})
            self.assertError(r, 503, "unavailable", "mail_failed")
            self.assertNotIn(address, self.owner.get("/api/v1/lab/invitations").text)
        finally:
            os.remove(self.fail_flag)

    def test_concurrent_password_checks_beyond_the_bound_answer_503(self):
        anon = self.client()

        def attempt(n):
            return anon.post("/api/v1/auth/login", {
                "email": f"load{n}-{unique('x')}@example.org", "password": "wrong password!"})

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(attempt, range(16)))
        statuses = sorted(r.status for r in answers)
        self.assertTrue(set(statuses) <= {401, 503}, statuses)
        overloaded = [r for r in answers if r.status == 503]
        self.assertTrue(overloaded, f"no request was refused: {statuses}")
        for r in overloaded:
            self.assertError(r, 503, "unavailable", "overloaded")
            self.assertEqual(len(r.header_values("retry-after")), 1, r.describe())
