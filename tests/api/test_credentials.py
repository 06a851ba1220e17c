"""The expert network's people side: sign-up modes and expert invitations, the expert's
profile, credentials with a streamed evidence file, the operator's vetting queue (verify with
a grant, reject with a reason), who may read evidence (a lab gets 404), and the operator's view
of one expert. Every refused request leaves nothing behind (no row, no file)."""

import glob
import os
import struct
import tempfile

from fachwerk_client import PASSWORD, FachwerkTestCase, unique
from test_accounts import outbox_messages

MAX_EVIDENCE = 64 * 1024


def pdf(text="Diploma", pad=0):
    """A small valid PDF (offsets not checked by the server; the content's shape is)."""
    body = f"%PDF-1.4\n%{'x' * pad}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".encode()
    body += f"% {text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".encode()
    return body


PNG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44,
             0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0D,
             0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0D, 0x0A, 0x2D,
             0xB4, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])


def webp():
    body = b"WEBP" + b"VP8L" + b"\x05\x00\x00\x00" + b"\x2f\x00\x00\x00\x00" + b"\x00"
    return b"RIFF" + struct.pack("<I", len(body)) + body


def expert_secret_in(message):
    body = message.get_payload(decode=True).decode("utf-8")
    for word in body.split():
        if word.startswith("fwx_"):
            return word.strip('",')
    raise AssertionError(f"no expert invitation code in {body!r}")


class ExpertNetworkTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        cls.conf_dir = tempfile.mkdtemp(prefix="fw-api-conf-")
        config = os.path.join(cls.conf_dir, "fachwerk.conf")
        with open(config, "w") as f:
            f.write(f"max_evidence_bytes = {MAX_EVIDENCE}\n")
        cls.server_args = ("--config", config)
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        cls.member_user = cls.create_user("member", cls.lab["id"])
        cls.member = cls.login(cls.member_user["email"])

    def setUp(self):
        self.set_mode("open")

    # -- helpers ---------------------------------------------------------------------------

    def set_mode(self, mode):
        r = self.op.put("/api/v1/settings/expert-signup", {"mode": mode})
        self.assertEqual(self.assertStatus(r, 200).json, {"mode": mode})

    def sign_up(self, email=None, **extra):
        body = {"name": "Ada Expert", "password": PASSWORD, **extra}
        if email is not None:
            body["email"] = email
        return self.client().post("/api/v1/signup", body)

    def new_expert(self):
        email = f"{unique('expert')}@example.org"
        r = self.assertStatus(self.sign_up(email), 201)
        return r.json["user"], self.client(r.json["token"])

    def evidence_files(self):
        return sorted(os.path.basename(p) for p in
                      glob.glob(os.path.join(self.data_dir, "evidence", "*")))

    def upload(self, client, cred_id, data, content_type="application/pdf", name="diploma.pdf"):
        return client.request("PUT", f"/api/v1/me/credentials/{cred_id}/evidence", raw=data,
                              content_type=content_type, query={"filename": name})

    def degree(self, client, **extra):
        body = {"kind": "degree", "title": "PhD in Physics", "issuer": "ETH Zurich",
                "domain": "physics", "level": 4, "identifier_kind": "orcid",
                "identifier": "0000-0002-1825-0097", "issued_at": "2019-06-30", **extra}
        return self.assertStatus(client.post("/api/v1/me/credentials", body), 201).json

    def pending(self, client, **extra):
        c = self.degree(client, **extra)
        r = self.assertStatus(self.upload(client, c["id"], pdf()), 200)
        return r.json

    def last_invitation_secret(self, address):
        for m in reversed(outbox_messages(self.data_dir)):
            if m["To"] == address.lower():
                return expert_secret_in(m)
        self.fail(f"no message to {address} in the outbox")

    # -- the scenario ----------------------------------------------------------------------

    def test_sign_up_profile_credential_verified_with_a_grant(self):
        self.set_mode("invitation")
        self.assertEqual(self.client().get("/api/v1/signup").json, {"mode": "invitation"})
        address = f"{unique('invited')}@example.org"
        inv = self.assertStatus(self.op.post("/api/v1/expert-invitations", {"email": address}),
                                202).json["invitation"]
        self.assertTrue(inv["id"].startswith("xin_"))
        self.assertEqual(inv["state"], "pending")
        listed = self.assertStatus(self.op.get("/api/v1/expert-invitations"), 200).json
        self.assertIn(inv["id"], [i["id"] for i in listed["invitations"]])
        secret = self.last_invitation_secret(address)

        # Sign up with the invitation: an expert account, signed in (token and cookie).
        r = self.assertStatus(self.sign_up(invitation=secret), 201)
        self.assertEqual(r.json["user"]["role"], "expert")
        self.assertEqual(r.json["user"]["email"], address)
        self.assertIn("fw_session=", r.header("set-cookie"))
        self.assertIn("HttpOnly", r.header("set-cookie"))
        expert = self.client(r.json["token"])
        self.assertEqual(self.assertStatus(expert.get("/api/v1/me"), 200).json["role"], "expert")

        # Profile.
        profile = {"headline": "Condensed matter theorist", "languages": ["en", "de-ch"],
                   "time_zone": "Europe/Zurich", "weekly_hours_cap": 15,
                   "domains": [{"domain": "physics", "level": 4},
                               {"domain": "condensed_matter", "level": 4}],
                   "affiliations": [{"organisation": "  ACME   Research ", "kind": "employer",
                                     "since": "2020-01-01"},
                                    {"organisation": "Borealis AI", "kind": "client",
                                     "since": "2021-01-01", "until": "2022-06-30"}]}
        p = self.assertStatus(expert.put("/api/v1/me/profile", profile), 200).json
        self.assertEqual(p["languages"], ["en", "de-CH"])
        self.assertEqual(p["affiliations"][0]["organisation_key"], "acme research")
        self.assertEqual(p["affiliations"][1]["until"], "2022-06-30T00:00:00Z")
        self.assertEqual(self.assertStatus(expert.get("/api/v1/me/profile"), 200).json, p)

        # A credential, then its evidence.
        c = self.degree(expert)
        self.assertEqual(c["status"], "draft")
        self.assertIsNone(c["evidence"])
        data = pdf("PhD diploma")
        up = self.assertStatus(self.upload(expert, c["id"], data, name="../My Diploma.pdf"), 200).json
        self.assertEqual(up["status"], "pending")
        self.assertEqual(up["evidence"]["name"], "My_Diploma.pdf")
        self.assertEqual(up["evidence"]["bytes"], len(data))
        self.assertEqual(up["evidence"]["content_type"], "application/pdf")
        self.assertEqual(len(up["evidence"]["sha256"]), 64)

        # The operator's queue shows it with the expert.
        queue = self.assertStatus(self.op.get("/api/v1/vetting/credentials"), 200).json
        mine = [q for q in queue["credentials"] if q["id"] == c["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["expert"]["email"], address)
        self.assertEqual(mine[0]["expert"]["name"], "Ada Expert")

        # The operator reads the evidence as it was uploaded.
        ev = self.assertStatus(self.op.get(mine[0]["evidence"]["url"]), 200)
        self.assertEqual(ev.body, data)
        self.assertEqual(ev.header("content-type"), "application/pdf")
        self.assertEqual(ev.header("content-security-policy"), "sandbox; frame-ancestors 'self'")
        self.assertEqual(ev.header("x-frame-options"), "SAMEORIGIN")
        self.assertEqual(ev.header("x-content-type-options"), "nosniff")
        self.assertEqual(ev.header("content-disposition"), 'inline; filename="My_Diploma.pdf"')
        self.assertIn("no-store", ev.header("cache-control"))
        self.assertIn("private", ev.header("cache-control"))

        # Verify with a grant: a qualification on the credential's grounds.
        v = self.assertStatus(self.op.post(
            f"/api/v1/vetting/credentials/{c['id']}/verify",
            {"expires_at": "2099-01-01", "grant": {"domain": "physics", "level": 4}}), 200).json
        self.assertEqual(v["credential"]["status"], "verified")
        self.assertEqual(v["credential"]["decision"]["outcome"], "verified")
        self.assertEqual(v["credential"]["decision"]["by"]["name"], "Olga Operator")
        self.assertEqual(v["qualification"]["grounds"]["kind"], "credential")
        self.assertEqual(v["qualification"]["expires_at"], "2099-01-01T00:00:00Z")

        # The expert sees the decision and the qualification.
        mine = self.assertStatus(expert.get("/api/v1/me/credentials"), 200).json["credentials"]
        self.assertEqual([(m["id"], m["status"]) for m in mine], [(c["id"], "verified")])
        self.assertEqual(mine[0]["decision"]["by"]["name"], "Olga Operator")
        quals = self.assertStatus(expert.get("/api/v1/me"), 200).json["qualifications"]
        self.assertEqual([(q["domain"], q["level"], q["grounds"]["kind"]) for q in quals],
                         [("physics", 4, "credential")])
        self.assertNotIn(c["id"], [q["id"] for q in self.assertStatus(
            self.op.get("/api/v1/vetting/credentials"), 200).json["credentials"]])

        # The operator's view of the expert.
        d = self.assertStatus(self.op.get(f"/api/v1/experts/{r.json['user']['id']}/dossier"),
                              200).json
        self.assertEqual(d["expert"]["email"], address)
        self.assertEqual(d["profile"]["headline"], "Condensed matter theorist")
        self.assertEqual(len(d["profile"]["affiliations"]), 2)
        self.assertEqual(d["credentials"][0]["decision"]["outcome"], "verified")
        self.assertEqual(d["qualifications"][0]["grounds"]["credential_id"], c["id"])

        # The invitation is used up.
        self.assertError(self.sign_up(invitation=secret), 404, "not_found", "invitation_invalid")
        self.set_mode("open")

    # -- sign-up ---------------------------------------------------------------------------

    def test_sign_up_is_refused_in_closed_mode(self):
        self.set_mode("closed")
        email = f"{unique('closed')}@example.org"
        self.assertError(self.sign_up(email), 403, "permission_denied", "signup_closed")
        self.assertError(self.op.post("/api/v1/expert-invitations", {"email": email}), 409,
                         "conflict", "signup_closed")
        self.assertError(self.login_fails(email), 401, "unauthenticated")

    def login_fails(self, email):
        return self.client().post("/api/v1/auth/login", {"email": email, "password": PASSWORD})

    def test_invitation_mode_refuses_without_or_with_a_bad_invitation(self):
        self.set_mode("invitation")
        email = f"{unique('uninvited')}@example.org"
        err = self.assertError(self.sign_up(email), 403, "permission_denied",
                               "invitation_required")
        self.assertEqual(err["details"][0]["field"], "invitation")
        self.assertError(self.sign_up(email, invitation="fwx_forged"), 404, "not_found",
                         "invitation_invalid")
        address = f"{unique('inv')}@example.org"
        self.assertStatus(self.op.post("/api/v1/expert-invitations", {"email": address}), 202)
        secret = self.last_invitation_secret(address)
        err = self.assertError(self.sign_up(email, invitation=secret), 400, "invalid_argument")
        self.assertEqual(err["details"][0]["field"], "email")
        # A withdrawn invitation no longer works.
        inv = [i for i in self.op.get("/api/v1/expert-invitations").json["invitations"]
               if i["email"] == address][0]
        self.assertStatus(self.op.delete(f"/api/v1/expert-invitations/{inv['id']}"), 204)
        self.assertError(self.sign_up(invitation=secret), 404, "not_found", "invitation_invalid")
        self.assertError(self.login_fails(email), 401)
        self.assertError(self.login_fails(address), 401)

    def test_sign_up_checks_fields_and_the_mode_setting(self):
        err = self.assertError(self.sign_up(f"{unique('weak')}@example.org", password="short"),
                               400, "invalid_argument")
        self.assertEqual(err["details"][0]["field"], "password")
        err = self.assertError(self.sign_up("not-an-email"), 400, "invalid_argument")
        self.assertEqual(err["details"][0]["field"], "email")
        user, _ = self.new_expert()
        self.assertError(self.sign_up(user["email"]), 409, "conflict", "email_taken")
        err = self.assertError(self.op.put("/api/v1/settings/expert-signup", {"mode": "wide"}),
                               400, "invalid_argument")
        self.assertEqual(err["details"][0]["field"], "mode")
        self.assertError(self.owner.put("/api/v1/settings/expert-signup", {"mode": "open"}), 403)

    # -- profile ---------------------------------------------------------------------------

    def test_profile_errors_name_the_field(self):
        _, expert = self.new_expert()
        cases = [({"time_zone": "Mars/Olympus"}, "time_zone"),
                 ({"languages": ["en", "not a tag"]}, "languages[1]"),
                 ({"languages": "en"}, "languages"),
                 ({"weekly_hours_cap": 200}, "weekly_hours_cap"),
                 ({"domains": [{"domain": "astrology", "level": 3}]}, "domains[0].domain"),
                 ({"domains": [{"domain": "physics", "level": 9}]}, "domains[0].level"),
                 ({"affiliations": [{"organisation": "X", "kind": "rival"}]},
                  "affiliations[0].kind"),
                 ({"affiliations": [{"organisation": "X", "kind": "client",
                                     "since": "yesterday"}]}, "affiliations[0].since"),
                 ({"nickname": "x"}, "nickname")]
        for body, field in cases:
            with self.subTest(field=field):
                r = expert.put("/api/v1/me/profile", body)
                self.assertError(r, 400, "invalid_argument")
                self.assertIn(field, r.detail_fields)
        self.assertIsNone(expert.get("/api/v1/me/profile").json["updated_at"])
        self.assertError(self.owner.get("/api/v1/me/profile"), 403, "permission_denied")

    # -- credentials and evidence ----------------------------------------------------------

    def test_wrong_types_are_refused_and_leave_nothing(self):
        _, expert = self.new_expert()
        c = self.degree(expert)
        before = self.evidence_files()
        self.assertError(self.upload(expert, c["id"], PNG, content_type="application/pdf"),
                         422, "unprocessable", "evidence_type_mismatch")
        self.assertError(self.upload(expert, c["id"], b"<html><script>alert(1)</script>",
                                     content_type="application/pdf"),
                         422, "unprocessable", "evidence_type")
        self.assertError(self.upload(expert, c["id"], pdf(), content_type="text/html"),
                         415, "invalid_argument", "unsupported_media_type")
        self.assertError(self.upload(expert, c["id"], b"", content_type="application/pdf"),
                         400, "invalid_argument", "evidence_empty")
        self.assertEqual(self.evidence_files(), before)
        got = self.assertStatus(expert.get(f"/api/v1/credentials/{c['id']}"), 200).json
        self.assertEqual((got["status"], got["evidence"]), ("draft", None))
        # PNG and WebP are accepted when declared as such.
        self.assertStatus(self.upload(expert, c["id"], PNG, content_type="image/png",
                                      name="scan.png"), 200)
        other = self.degree(expert)
        self.assertStatus(self.upload(expert, other["id"], webp(), content_type="image/webp"),
                          200)

    def test_a_file_over_the_limit_is_refused_and_leaves_nothing(self):
        _, expert = self.new_expert()
        c = self.degree(expert)
        before = self.evidence_files()
        big = pdf(pad=MAX_EVIDENCE)
        r = self.upload(expert, c["id"], big)
        self.assertError(r, 413, "invalid_argument")
        self.assertEqual(self.evidence_files(), before)
        self.assertEqual(self.assertStatus(expert.get(f"/api/v1/credentials/{c['id']}"),
                                           200).json["status"], "draft")
        ok = pdf(pad=MAX_EVIDENCE - 200)
        self.assertLessEqual(len(ok), MAX_EVIDENCE)
        self.assertStatus(self.upload(expert, c["id"], ok), 200)

    def test_one_evidence_file_per_credential_and_withdrawal_deletes_it(self):
        _, expert = self.new_expert()
        c = self.pending(expert)
        self.assertError(self.upload(expert, c["id"], pdf()), 409, "conflict", "evidence_exists")
        files = self.evidence_files()
        w = self.assertStatus(expert.delete(f"/api/v1/me/credentials/{c['id']}"), 200).json
        self.assertEqual(w["status"], "withdrawn")
        self.assertEqual(len(self.evidence_files()), len(files) - 1)
        self.assertError(expert.get(f"/api/v1/credentials/{c['id']}/evidence"), 404)
        self.assertError(expert.delete(f"/api/v1/me/credentials/{c['id']}"), 409, "conflict",
                         "not_withdrawable")

    def test_credential_fields_are_checked(self):
        _, expert = self.new_expert()
        cases = [({"identifier": "0000-0002-1825-0098"}, "identifier"),
                 ({"identifier_kind": "isbn"}, "identifier_kind"),
                 ({"kind": "diploma"}, "kind"),
                 ({"domain": "astrology"}, "domain"),
                 ({"expires_at": "2001-01-01"}, "expires_at"),
                 ({"issued_at": "someday"}, "issued_at")]
        for extra, field in cases:
            with self.subTest(field=field):
                body = {"kind": "degree", "title": "PhD", "domain": "physics", "level": 4,
                        "identifier_kind": "orcid", "identifier": "0000-0002-1825-0097",
                        **extra}
                r = expert.post("/api/v1/me/credentials", body)
                self.assertError(r, 400, "invalid_argument")
                self.assertIn(field, r.detail_fields)
        self.assertEqual(expert.get("/api/v1/me/credentials").json["credentials"], [])

    def test_evidence_is_served_to_its_owner_and_operators_only(self):
        _, expert = self.new_expert()
        _, other_expert = self.new_expert()
        c = self.pending(expert)
        url = f"/api/v1/credentials/{c['id']}/evidence"
        self.assertStatus(expert.get(url), 200)
        self.assertStatus(self.op.get(url), 200)
        for who in (self.member, self.owner, other_expert):
            self.assertError(who.get(url), 404, "not_found")
            self.assertError(who.get(f"/api/v1/credentials/{c['id']}"), 404, "not_found")
        self.assertError(self.client().get(url), 401)
        # A lab member cannot reach it through the vetting or expert routes either.
        self.assertError(self.member.get("/api/v1/vetting/credentials"), 403)
        self.assertError(self.member.post(f"/api/v1/vetting/credentials/{c['id']}/verify", {}),
                         403)

    # -- vetting ---------------------------------------------------------------------------

    def test_reject_needs_a_reason_and_the_expert_reads_it(self):
        _, expert = self.new_expert()
        c = self.pending(expert)
        path = f"/api/v1/vetting/credentials/{c['id']}/reject"
        r = self.op.post(path, {"reason": "  "})
        self.assertError(r, 400, "invalid_argument")
        self.assertEqual(r.detail_fields, ["reason"])
        self.assertError(self.op.post(path, {}), 400, "invalid_argument")
        rej = self.assertStatus(self.op.post(path, {"reason": "The scan is unreadable."}), 200).json
        self.assertEqual(rej["status"], "rejected")
        mine = expert.get(f"/api/v1/credentials/{c['id']}").json
        self.assertEqual(mine["decision"]["outcome"], "rejected")
        self.assertEqual(mine["decision"]["reason"], "The scan is unreadable.")
        self.assertEqual(mine["decision"]["by"]["name"], "Olga Operator")
        self.assertError(self.op.post(f"/api/v1/vetting/credentials/{c['id']}/verify", {}), 409,
                         "conflict", "not_pending")
        self.assertEqual(expert.get("/api/v1/me").json["qualifications"], [])

    def test_a_failed_grant_verifies_nothing(self):
        user, expert = self.new_expert()
        c = self.pending(expert)
        r = self.op.post(f"/api/v1/vetting/credentials/{c['id']}/verify",
                         {"grant": {"domain": "astrology", "level": 4}})
        self.assertError(r, 400, "invalid_argument")
        self.assertEqual(r.detail_fields, ["grant.domain"])
        self.assertEqual(expert.get(f"/api/v1/credentials/{c['id']}").json["status"], "pending")
        self.assertEqual(expert.get("/api/v1/me").json["qualifications"], [])

    def test_verify_refuses_an_expiry_in_the_past(self):
        _, expert = self.new_expert()
        c = self.pending(expert)
        r = self.op.post(f"/api/v1/vetting/credentials/{c['id']}/verify",
                         {"expires_at": "2001-01-01"})
        self.assertError(r, 400, "invalid_argument")
        self.assertEqual(r.detail_fields, ["expires_at"])
        self.assertEqual(expert.get(f"/api/v1/credentials/{c['id']}").json["status"], "pending")

    def test_the_dossier_is_for_operators_and_experts_only(self):
        user, _ = self.new_expert()
        self.assertStatus(self.op.get(f"/api/v1/experts/{user['id']}/dossier"), 200)
        self.assertError(self.op.get(f"/api/v1/experts/{self.owner_user['id']}/dossier"), 404)
        self.assertError(self.owner.get(f"/api/v1/experts/{user['id']}/dossier"), 403)


if __name__ == "__main__":
    import unittest
    unittest.main()
