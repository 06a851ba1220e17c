"""Tenant isolation by enumeration.

The route table comes from `fachwerk routes --json`, so a route added to the server is checked
the moment it exists: every route whose access is lab, lab_owner or lab_or_operator is called
with lab A's real ids by lab B's owner and must answer 404, never data; routes without a
lab-specific parameter must show lab B only its own data; lab and operator routes refuse
experts; role checks and authentication hold for every route. A path parameter this file does
not know how to fill fails the test, so no route escapes silently."""

import json
import re
import unittest

from fachwerk_client import FachwerkTestCase, jsonl, run_cli, unique

LAB_ACCESS = {"lab", "lab_owner", "lab_or_operator"}
KNOWN_ACCESS = {"public", "authenticated", "operator", "lab", "lab_owner", "lab_or_operator",
                "expert", "reviewer"}
# Parameters that name something a lab (or a user) owns. Everything else in PARAM_KINDS is
# shared vocabulary (a domain name) and does not make a route lab-specific.
OWNED_KINDS = {"project", "item", "assignment", "active_assignment", "submission", "token",
               "import", "lab", "user", "expert", "session", "invitation", "credential",
               "exam_attempt", "invoice"}
PARAM_KINDS = {
    "project_id": "project", "item_id": "item", "assignment_id": "active_assignment",
    "submission_id": "submission", "token_id": "token", "import_id": "import",
    "lab_id": "lab", "org_id": "lab", "user_id": "user", "member_id": "user",
    "expert_id": "expert", "pseudonym": "expert", "domain": "domain",
    "session_id": "session", "invitation_id": "invitation",
    "credential_id": "credential", "expert_invitation_id": "expert_invitation",
    "exam_id": "exam", "question_id": "exam_question", "attempt_id": "exam_attempt",
    "grading_id": "exam_grading", "review_id": "review",
    "invoice_id": "invoice", "payout_id": "payout", "transaction_id": "transaction",
    "dispute_id": "dispute",
    "level": "level", "currency": "currency",
}
# For parameter names not listed above: guess the kind from the name's stem or the path
# segment before it ("/projects/{id}" -> project), as the id prefix would say.
STEMS = {"project": "project", "projects": "project", "prj": "project", "item": "item",
         "items": "item", "itm": "item", "assignment": "active_assignment",
         "assignments": "active_assignment", "asg": "active_assignment",
         "submission": "submission", "submissions": "submission", "sub": "submission",
         "token": "token", "tokens": "token", "tok": "token", "import": "import",
         "imports": "import", "imp": "import", "lab": "lab", "labs": "lab", "user": "user",
         "users": "user", "usr": "user", "member": "user", "members": "user",
         "expert": "expert", "experts": "expert", "ex": "expert", "domain": "domain",
         "domains": "domain"}


class Raw(str):
    """A request body sent as is (JSONL) rather than JSON-encoded."""


def param_kind(name, path):
    if name in PARAM_KINDS:
        return PARAM_KINDS[name]
    stem = re.sub(r"_?id$", "", name)
    if stem in STEMS:
        return STEMS[stem]
    before = path.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1]
    return STEMS.get(before)


def path_params(path):
    return re.findall(r"{([^}/]+)}", path)


class TenantIsolationTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.routes = json.loads(run_cli("routes", "--json").stdout)
        cls.secret = "AURORA-SECRET-7f3c9b"

        # Lab A: owner, member, an API token, a project with items (one gold), an import, an
        # expert with one submitted and one active assignment on it.
        cls.lab_a, cls.owner_a_user, cls.owner_a = cls.create_lab_with_owner(
            f"Aurora {cls.secret}")
        cls.member_a_user = cls.create_user("member", cls.lab_a["id"])
        cls.member_a = cls.login(cls.member_a_user["email"])
        r = cls.owner_a.post("/api/v1/tokens", {"name": f"token {cls.secret}"})
        cls.token_a = cls._must(r, 201)
        cls.project_a = cls.create_project(
            cls.owner_a, name=f"Project {cls.secret}", description=f"about {cls.secret}",
            preset="classification", domain="physics", redundancy=2)
        pid = cls.project_a["id"]
        cls.import_a = cls.import_items(cls.owner_a, pid, [
            {"data": {"text": f"claim {n} {cls.secret}"}, "external_id": f"{cls.secret}-{n}"}
            for n in range(4)] + [{"data": {"text": f"gold {cls.secret}"},
                                   "gold": {"label": "correct"}}])
        cls.items_a = cls.list_items(cls.owner_a, pid)
        cls.expert_a_user, cls.expert_a = cls.create_expert({"physics": 3})
        first = cls._must(cls.next_task(cls.expert_a, pid), 200)["assignment"]
        cls.done_assignment_a = first
        cls.submission_a = cls._must(cls.submit(cls.expert_a, first["id"], {"label": "correct"}),
                                     201)
        cls.active_assignment_a = cls._must(cls.next_task(cls.expert_a, pid), 200)["assignment"]
        assert cls.active_assignment_a is not None
        cls.draft_a = {"label": "correct", "notes": f"draft {cls.secret}"}
        cls._must(cls.expert_a.put(f"/api/v1/assignments/{cls.active_assignment_a['id']}/draft",
                                   {"answer": cls.draft_a}), 200)
        rows = cls.export(cls.owner_a, pid, "raw")
        cls.pseudonym_a = rows[0]["expert"]

        # Lab B: an owner and a member with a project of their own; expert B, qualified for
        # the same domain but not the holder of A's assignment.
        cls.lab_b, cls.owner_b_user, cls.owner_b = cls.create_lab_with_owner("Borealis")
        cls.member_b_user = cls.create_user("member", cls.lab_b["id"])
        cls.member_b = cls.login(cls.member_b_user["email"])
        cls.project_b = cls.create_project(cls.owner_b, preset="classification",
                                           domain="law")
        cls.import_items(cls.owner_b, cls.project_b["id"], [{"text": "a B claim"}])
        cls.expert_b_user, cls.expert_b = cls.create_expert({"physics": 3})

        # Expert A's credential with its evidence file, and an expert invitation.
        cls._must(cls.op.put("/api/v1/settings/expert-signup", {"mode": "invitation"}), 200)
        cls.credential_a = cls._must(cls.expert_a.post("/api/v1/me/credentials", {
            "kind": "degree", "title": f"PhD {cls.secret}", "domain": "physics", "level": 4}),
            201)
        cls._must(cls.expert_a.request(
            "PUT", f"/api/v1/me/credentials/{cls.credential_a['id']}/evidence",
            raw=b"%PDF-1.4\n% " + cls.secret.encode() + b"\n%%EOF\n",
            content_type="application/pdf"), 200)
        cls.expert_invitation = cls._must(cls.op.post("/api/v1/expert-invitations", {
            "email": f"{unique('xinv')}@example.org"}), 202)["invitation"]
        # An exam expert A is taking (exams are no lab's: labs get 404 on every exam route).
        exam = cls._must(cls.op.post("/api/v1/exams", {
            "domain": "physics", "level": 1, "title": "Physics 1", "time_limit_seconds": 600,
            "pass_mark": 50, "cooldown_seconds": 0, "draw_count": 1}), 201)
        exam_question = cls._must(cls.op.post(f"/api/v1/exams/{exam['id']}/questions", {
            "prompt": "Is light a wave?", "question": {"type": "label", "options": ["yes", "no"]},
            "gold": "yes"}), 201)
        cls._must(cls.op.patch(f"/api/v1/exams/{exam['id']}", {"status": "active"}), 200)
        exam_attempt = cls._must(cls.expert_a.post(f"/api/v1/exams/{exam['id']}/attempts", {}),
                                 201)

        # An invoice of lab A (a charge to it, invoiced by the operator).
        cls._must(cls.op.post("/api/v1/ledger/adjustments", {
            "org_id": cls.lab_a["id"], "amount_minor": 1000, "currency": "USD",
            "reason": f"fee {cls.secret}", "kind": "adjustment"}), 201)
        invoice_a = cls._must(cls.op.post("/api/v1/invoices", {
            "org_id": cls.lab_a["id"], "from": "2000-01-01", "to": "2100-01-01"}), 201)

        cls.values = {
            "exam": exam["id"], "exam_question": exam_question["id"],
            "exam_attempt": exam_attempt["id"], "exam_grading": "grd_aaaaaaaaaaaaa",
            "review": "rvw_aaaaaaaaaaaaa",
            "project": pid, "item": cls.items_a[0]["id"],
            "active_assignment": cls.active_assignment_a["id"],
            "assignment": cls.active_assignment_a["id"],
            "submission": cls.submission_a["id"], "token": cls.token_a["id"],
            "import": cls.import_a["import_id"], "lab": cls.lab_a["id"],
            "user": cls.member_a_user["id"], "expert": cls.pseudonym_a, "domain": "physics",
            "session": cls._must(cls.owner_a.get("/api/v1/me/sessions"), 200)["sessions"][0]["id"],
            "invitation": cls._must(cls.owner_a.post("/api/v1/lab/members", {
                "email": f"{unique('invitee')}@example.org", "role": "member"}), 202)[
                    "invitation"]["id"],
            "credential": cls.credential_a["id"],
            "expert_invitation": cls.expert_invitation["id"],
            "invoice": invoice_a["id"], "payout": "pob_aaaaaaaaaaaaa",
            "transaction": "txn_aaaaaaaaaaaaa", "dispute": "dsp_aaaaaaaaaaaaa", "level": "1",
            "currency": "USD",
        }
        # Request bodies valid for lab A's objects, so only tenancy can refuse them.
        cls.bodies = {
            ("POST", "/api/v1/projects/{project_id}/items"): Raw(jsonl([{"text": "intruder"}])),
            ("PATCH", "/api/v1/projects/{project_id}"): {"name": "renamed by B"},
            ("POST", "/api/v1/projects"): {"name": unique("b-probe"),
                                           "preset": "classification", "domain": "law"},
            ("POST", "/api/v1/domains"): {"name": "probe_domain", "title": "Probe"},
            ("PATCH", "/api/v1/domains/{domain}"): {"title": "Physics"},
            ("POST", "/api/v1/lab/members"): {"email": f"{unique('probe')}@example.org",
                                              "role": "member"},
            ("POST", "/api/v1/users/{user_id}/password"): {"password": "probe-password-1"},
            ("POST", "/api/v1/invitations/accept"): {"token": "fwi_probe", "name": "Probe",
                                                     "password": "probe-password-1"},
            ("POST", "/api/v1/tokens"): {"name": "probe"},
            ("POST", "/api/v1/work/next"): {"project_id": pid},
            ("POST", "/api/v1/assignments/{assignment_id}/submit"): {
                "answer": {"label": "incorrect"}, "idempotency_key": unique("probe")},
            ("POST", "/api/v1/assignments/{assignment_id}/heartbeat"): {"active_seconds": 0},
            ("POST", "/api/v1/assignments/{assignment_id}/skip"): {"reason": "probe"},
            ("PUT", "/api/v1/assignments/{assignment_id}/draft"): {
                "answer": {"label": "incorrect"}},
            ("PUT", "/api/v1/experts/{user_id}/qualifications/{domain}"): {"level": 5,
                                                                           "reviewer": True,
                                                                           "reason": "r"},
            ("POST", "/api/v1/me/password"): {"current_password": "wrong-password-x",
                                              "new_password": "another-password-1"},
            ("POST", "/api/v1/auth/logout"): None,
            ("PUT", "/api/v1/exam-attempts/{attempt_id}/answers"): {"answers": {}},
            ("POST", "/api/v1/exam-attempts/{attempt_id}/submit"): {"answers": {}},
            ("POST", "/api/v1/work/rework/{submission_id}"): {
                "answer": {"label": "incorrect"}, "idempotency_key": unique("probe")},
            ("POST", "/api/v1/review/{review_id}/decision"): {"outcome": "accept"},
            ("PUT", "/api/v1/projects/{project_id}/review-policy"): {"mode": "all"},
        }
        cls.queries = {("GET", "/api/v1/projects/{project_id}/export"): {"format": "raw"}}

    # -- helpers ---------------------------------------------------------------------------

    def fill(self, route):
        """The route's path with lab A's ids, and whether any parameter is lab-specific.
        Fails the test for a parameter it cannot fill."""
        path, owned = route["path"], False
        for name in path_params(route["path"]):
            kind = param_kind(name, route["path"])
            if kind is None:
                self.fail(f"{route['method']} {route['path']}: the isolation test does not know "
                          f"how to fill {{{name}}}; add it to PARAM_KINDS in {__file__}")
            owned = owned or kind in OWNED_KINDS
            path = path.replace("{" + name + "}", self.values[kind])
        return path, owned

    def call(self, route, client):
        path, _ = self.fill(route)
        key = (route["method"], route["path"])
        body = self.bodies.get(key, {} if route["method"] in ("POST", "PUT", "PATCH") else None)
        kw = {"query": self.queries.get(key)}
        if isinstance(body, Raw):
            return client.request(route["method"], path, raw=str(body), **kw)
        return client.request(route["method"], path, body, **kw)

    def leak_markers(self):
        """Strings only lab A's data contains (never in a request made for these checks)."""
        return [self.secret, self.owner_a_user["email"], self.member_a_user["email"]]

    def assertNoLeak(self, resp, extra=()):
        for marker in [*self.leak_markers(), *extra]:
            self.assertNotIn(marker, resp.text, f"lab A's data leaked: {resp.describe()}")

    def routes_with(self, accesses):
        rs = [r for r in self.routes if r["access"] in accesses]
        self.assertTrue(rs, f"no routes with access {accesses}")
        return rs

    def label(self, route):
        return f"{route['method']} {route['path']} ({route['access']})"

    # -- the route table -------------------------------------------------------------------

    def test_route_table_lists_every_route_with_a_known_access(self):
        self.assertIsInstance(self.routes, list)
        pairs = set()
        for r in self.routes:
            self.assertEqual(set(r) >= {"method", "path", "access", "summary"}, True, r)
            self.assertIn(r["access"], KNOWN_ACCESS, r)
            self.assertNotIn((r["method"], r["path"]), pairs, f"duplicate route {r}")
            pairs.add((r["method"], r["path"]))
        for must in [("GET", "/api/v1/projects"), ("POST", "/api/v1/projects"),
                     ("GET", "/api/v1/projects/{project_id}"),
                     ("PATCH", "/api/v1/projects/{project_id}"),
                     ("POST", "/api/v1/projects/{project_id}/items"),
                     ("GET", "/api/v1/projects/{project_id}/items"),
                     ("GET", "/api/v1/projects/{project_id}/items/{item_id}"),
                     ("GET", "/api/v1/projects/{project_id}/export"),
                     ("POST", "/api/v1/work/next"),
                     ("POST", "/api/v1/assignments/{assignment_id}/submit"),
                     ("DELETE", "/api/v1/tokens/{token_id}"),
                     ("GET", "/api/v1/lab/members")]:
            self.assertIn(must, pairs, "route missing from `fachwerk routes --json`")

    def test_route_table_matches_what_the_server_serves(self):
        anon = self.client()
        for route in self.routes:
            with self.subTest(route=self.label(route)):
                path, _ = self.fill(route)
                r = anon.request(route["method"], path,
                                 {} if route["method"] in ("POST", "PUT", "PATCH") else None)
                self.assertNotEqual(r.error.get("reason"), "no_such_route", r.describe())
                self.assertNotEqual(r.status, 405, r.describe())
                if route["access"] != "public":
                    self.assertError(r, 401, "unauthenticated")

    # -- lab B against lab A ---------------------------------------------------------------

    def test_every_lab_route_answers_404_to_another_lab(self):
        checked = 0
        for route in self.routes_with(LAB_ACCESS):
            path, owned = self.fill(route)
            if not owned:
                continue
            with self.subTest(route=self.label(route)):
                r = self.call(route, self.owner_b)
                hint = ("" if (route["method"], route["path"]) in self.bodies or r.status != 400
                        else "\n(add a valid body to `bodies` so tenancy is what answers)")
                self.assertStatus(r, 404, msg=f"lab B's owner on lab A's ids{hint}")
                self.assertEqual(r.error.get("code"), "not_found", r.describe())
                self.assertNoLeak(r)
                r = self.call(route, self.member_b)
                self.assertStatus(r, 403, 404, msg="lab B's member on lab A's ids")
                self.assertNoLeak(r)
                checked += 1
        self.assertGreaterEqual(checked, 6, "too few lab routes with ids were checked")

    def test_mixed_and_template_dependent_requests_answer_404(self):
        """Lab A's ids in lab B's paths, and requests whose answer would depend on lab A's
        template, answer 404 like any other foreign id."""
        pa, pb = self.project_a["id"], self.project_b["id"]
        item_b = self.list_items(self.owner_b, pb)[0]["id"]
        for fmt in ("raw", "sft", "preference"):
            with self.subTest(format=fmt):
                r = self.owner_b.get(f"/api/v1/projects/{pa}/export", query={"format": fmt})
                self.assertError(r, 404, "not_found")
        bad_import = self.owner_b.post(f"/api/v1/projects/{pa}/items",
                                       raw='{"data": {"wrong": 1}}\n{oops\n')
        self.assertError(bad_import, 404, "not_found")
        self.assertError(self.owner_b.patch(f"/api/v1/projects/{pa}",
                                            {"template": {"questions": []}}), 404, "not_found")
        # An item asked for under the wrong project, in either direction.
        self.assertError(self.owner_b.get(f"/api/v1/projects/{pb}/items/{self.items_a[0]['id']}"),
                         404, "not_found")
        self.assertError(self.owner_a.get(f"/api/v1/projects/{pa}/items/{item_b}"), 404,
                         "not_found")
        other_a = self.create_project(self.owner_a, preset="classification", domain=None)
        self.assertError(self.owner_a.get(
            f"/api/v1/projects/{other_a['id']}/items/{self.items_a[0]['id']}"), 404, "not_found")
        r = self.owner_b.get(f"/api/v1/projects/{pb}/items",
                             query={"after": self.items_a[0]["id"]})
        self.assertLess(r.status, 500, r.describe())
        self.assertNoLeak(r)

    def test_lab_routes_without_ids_show_only_the_callers_lab(self):
        a_ids = [self.project_a["id"], *[i["id"] for i in self.items_a],
                 self.member_a_user["id"], self.owner_a_user["id"], self.token_a["id"],
                 self.lab_a["id"], self.submission_a["id"]]
        checked = 0
        for route in self.routes_with(LAB_ACCESS):
            path, owned = self.fill(route)
            if owned:
                continue
            with self.subTest(route=self.label(route)):
                r = self.call(route, self.owner_b)
                self.assertLess(r.status, 500, r.describe())
                self.assertNoLeak(r, a_ids)
                if route["method"] == "GET":
                    self.assertStatus(r, 200)
                    checked += 1
        projects = self.assertStatus(self.owner_b.get("/api/v1/projects"), 200)
        self.assertIn(self.project_b["id"], projects.text, "lab B sees its own project")
        self.assertNotIn(self.project_a["id"], projects.text)
        members = self.assertStatus(self.owner_b.get("/api/v1/lab/members"), 200)
        self.assertIn(self.member_b_user["id"], members.text)
        self.assertNotIn(self.member_a_user["id"], members.text)
        self.assertGreaterEqual(checked, 2)

    def test_lab_owner_routes_refuse_members_of_the_same_lab(self):
        for route in self.routes_with({"lab_owner"}):
            with self.subTest(route=self.label(route)):
                self.assertError(self.call(route, self.member_a), 403, "permission_denied")

    # -- other roles against lab and operator routes ---------------------------------------

    def test_lab_and_operator_routes_refuse_experts(self):
        for route in self.routes_with(LAB_ACCESS | {"operator"}):
            with self.subTest(route=self.label(route)):
                for expert in (self.expert_a, self.expert_b):
                    r = self.call(route, expert)
                    self.assertStatus(r, 403, 404, msg="an expert on a lab/operator route")
                    self.assertNoLeak(r)

    def test_operator_routes_refuse_labs(self):
        for route in self.routes_with({"operator"}):
            with self.subTest(route=self.label(route)):
                for lab_user in (self.owner_b, self.member_a):
                    self.assertError(self.call(route, lab_user), 403, "permission_denied")

    def test_lab_only_routes_refuse_the_operator(self):
        for route in self.routes_with({"lab", "lab_owner"}):
            with self.subTest(route=self.label(route)):
                self.assertStatus(self.call(route, self.op), 403, 404)

    def test_expert_routes_refuse_labs_and_operators(self):
        for route in self.routes_with({"expert", "reviewer"}):
            with self.subTest(route=self.label(route)):
                for other in (self.owner_a, self.op):
                    self.assertError(self.call(route, other), 403, "permission_denied")
        for route in [r for r in self.routes if r["access"] == "reviewer"]:
            with self.subTest(route=self.label(route), caller="expert without reviewer rights"):
                self.assertError(self.call(route, self.expert_b), 403, "permission_denied")

    # -- users' own things -----------------------------------------------------------------

    def test_ids_owned_by_another_user_answer_404(self):
        """Authenticated and expert routes that name an owned object (a token, an
        assignment) answer 404 to anyone but its owner."""
        checked = 0
        for route in self.routes:
            if route["access"] not in ("authenticated", "expert"):
                continue
            names = path_params(route["path"])
            kinds = [param_kind(n, route["path"]) for n in names]
            if not names:
                continue
            if None in kinds:
                self.fail(f"{self.label(route)}: cannot fill {names}; add to PARAM_KINDS")
            if not all(k in OWNED_KINDS for k in kinds):
                continue
            callers = ([self.owner_b, self.expert_b] if route["access"] == "authenticated"
                       else [self.expert_b])
            with self.subTest(route=self.label(route)):
                for c in callers:
                    r = self.call(route, c)
                    self.assertStatus(r, 404, msg="someone else's id")
                    self.assertNoLeak(r)
                checked += 1
        self.assertGreaterEqual(checked, 2)
        mine = self.assertStatus(self.expert_b.get("/api/v1/assignments"), 200)
        self.assertNotIn(self.active_assignment_a["id"], mine.text)
        tokens = self.assertStatus(self.owner_b.get("/api/v1/tokens"), 200)
        self.assertNotIn(self.token_a["id"], tokens.text)

    # -- and lab A is untouched (runs last: unittest sorts by name) ------------------------

    def test_zz_lab_a_is_untouched(self):
        p = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{self.project_a['id']}"),
                              200).json
        self.assertEqual(p["name"], self.project_a["name"])
        self.assertEqual((p["counts"]["items"], p["counts"]["gold_items"]), (4, 1))
        self.assertEqual(p["counts"]["submissions"], 1)
        self.assertEqual(len(self.list_items(self.owner_a, self.project_a["id"])), 5)
        self.assertStatus(self.client(self.token_a["token"]).get("/api/v1/me"), 200)
        self.assertStatus(self.expert_a.post(
            f"/api/v1/assignments/{self.active_assignment_a['id']}/heartbeat", {}), 200)
        active = self.assertStatus(self.expert_a.get("/api/v1/assignments"), 200).json
        self.assertEqual([a["draft"] for a in active["assignments"]], [self.draft_a])
        members = self.assertStatus(self.owner_a.get("/api/v1/lab/members"), 200)
        self.assertIn(self.member_a_user["id"], members.text)
        rows = self.export(self.owner_a, self.project_a["id"], "raw")
        self.assertEqual([r["submission_id"] for r in rows], [self.submission_a["id"]])


if __name__ == "__main__":
    unittest.main()
