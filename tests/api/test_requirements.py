"""Project requirements and routing by them over HTTP: the whole path of a new expert (sign up,
a credential verified, an exam passed, the terms accepted, then a task), and each way to be
turned away — a rejected or expired credential, an exam score under the project's minimum, a
competitor affiliation, an exclusion by pseudonym, changed terms — with the 403 naming the
unmet requirement, the project among the ones the expert could unlock where they can act,
and nothing half-written."""

import time

from fachwerk_client import PASSWORD, FachwerkTestCase, unique
from test_credentials import pdf

LABEL = {"type": "label", "options": ["a", "b"]}
TEMPLATE = {"questions": [{"name": "answer", "type": "label", "options": ["a", "b"]}]}


class RequirementsTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        _, _, cls.other = cls.create_lab_with_owner()
        cls._must(cls.op.put("/api/v1/settings/expert-signup", {"mode": "open"}), 200)

    # -- helpers ---------------------------------------------------------------------------

    def project(self, domain="physics", level=3, items=3, **requirements):
        p = self.create_project(self.owner, template=TEMPLATE, domain=domain, min_level=level,
                                requirements=requirements)
        self.import_items(self.owner, p["id"], [{"text": f"item {i}"} for i in range(items)])
        return p

    def sign_up(self):
        email = f"{unique('expert')}@example.org"
        r = self.client().post("/api/v1/signup",
                               {"email": email, "name": "New Expert", "password": PASSWORD})
        r = self.assertStatus(r, 201)
        return r.json["user"], self.client(r.json["token"])

    def credential(self, expert, kind="degree", domain="physics"):
        body = {"kind": kind, "title": f"A {kind}", "issuer": "ETH Zurich", "domain": domain,
                "level": 4}
        c = self.assertStatus(expert.post("/api/v1/me/credentials", body), 201).json
        self.assertStatus(expert.request("PUT", f"/api/v1/me/credentials/{c['id']}/evidence",
                                         raw=pdf(), content_type="application/pdf",
                                         query={"filename": "proof.pdf"}), 200)
        return c

    def verify(self, credential, **body):
        return self.assertStatus(
            self.op.post(f"/api/v1/vetting/credentials/{credential['id']}/verify", body), 200)

    def exam(self, domain, level, pass_mark=70):
        body = {"domain": domain, "level": level, "title": f"{domain} {level}",
                "description": "", "time_limit_seconds": 600, "pass_mark": pass_mark,
                "cooldown_seconds": 3600, "draw_count": 2, "valid_days": 365}
        exam = self.assertStatus(self.op.post("/api/v1/exams", body), 201).json
        for _ in range(2):
            self.assertStatus(self.op.post(f"/api/v1/exams/{exam['id']}/questions",
                                           {"prompt": "Pick a.", "points": 1,
                                            "question": LABEL, "gold": "a"}), 201)
        self.assertStatus(self.op.patch(f"/api/v1/exams/{exam['id']}", {"status": "active"}),
                          200)
        return exam

    def take(self, expert, exam, right):
        """Answers `right` of the two questions correctly; returns the result."""
        a = self.assertStatus(expert.post(f"/api/v1/exams/{exam['id']}/attempts", {}), 201).json
        answers = {q["id"]: ("a" if i < right else "b") for i, q in enumerate(a["questions"])}
        return self.assertStatus(expert.post(f"/api/v1/exam-attempts/{a['id']}/submit",
                                             {"answers": answers}), 200).json

    def profile(self, expert, **body):
        return self.assertStatus(expert.put("/api/v1/me/profile", body), 200).json

    def work_projects(self, expert):
        return self.assertStatus(expert.get("/api/v1/work/projects"), 200).json

    def locked(self, expert, project):
        """The reasons the project is locked for the expert, or None when it is not listed as
        locked (open to them, or hidden)."""
        listed = self.work_projects(expert)
        entry = next((p for p in listed["locked"] if p["id"] == project["id"]), None)
        return None if entry is None else [u["reason"] for u in entry["unmet"]]

    def refused(self, expert, project, reason, status=403):
        code = "permission_denied" if status == 403 else "conflict"
        return self.assertError(self.next_task(expert, project["id"]), status, code, reason)

    def accept_terms(self, expert, project, version):
        return expert.post(f"/api/v1/work/projects/{project['id']}/terms", {"version": version})

    # -- the scenario ----------------------------------------------------------------------

    def test_sign_up_credential_exam_terms_then_a_task(self):
        project = self.project(min_exam_score=70, credential_kinds=["degree"], languages=["en"],
                               terms="# NDA\nNothing leaves this project.")
        self.assertEqual(project["requirements"]["terms"]["version"], 1)
        exam = self.exam("physics", 3)
        _, expert = self.sign_up()

        self.assertEqual(self.locked(expert, project),
                         ["not_qualified", "credential_missing", "language_missing",
                          "terms_not_accepted"])
        err = self.refused(expert, project, "not_qualified")
        self.assertIn("pass the physics exam, level 3", err["message"])
        self.assertIn("hint", self.work_projects(expert))

        cred = self.credential(expert)
        self.assertIn("credential_missing", self.locked(expert, project), "pending is not enough")
        self.verify(cred)
        self.assertEqual(self.locked(expert, project),
                         ["not_qualified", "language_missing", "terms_not_accepted"])

        result = self.take(expert, exam, right=2)
        self.assertEqual((result["passed"], result["score"]), (True, 100))
        self.profile(expert, languages=["en-GB"], time_zone="Europe/Zurich")
        self.assertEqual(self.locked(expert, project), ["terms_not_accepted"])
        self.refused(expert, project, "terms_not_accepted")

        terms = self.assertStatus(
            expert.get(f"/api/v1/work/projects/{project['id']}/terms"), 200).json
        self.assertEqual((terms["version"], terms["accepted_at"]), (1, None))
        self.assertIn("Nothing leaves", terms["text"])
        accepted = self.assertStatus(self.accept_terms(expert, project, 1), 200).json
        self.assertIsNotNone(accepted["accepted_at"])

        listed = self.work_projects(expert)
        mine = next(p for p in listed["projects"] if p["id"] == project["id"])
        self.assertEqual((mine["terms_version"], mine["open_items"]), (1, 3))
        self.assertNotIn(project["id"], [p["id"] for p in listed["locked"]])
        task = self.assertStatus(self.next_task(expert, project["id"]), 200).json["assignment"]
        self.assertIsNotNone(task)
        self.assertStatus(self.submit(expert, task["id"], {"answer": "a"}), 201)

    # -- turned away -----------------------------------------------------------------------

    def test_a_rejected_credential_leaves_the_requirement_unmet(self):
        project = self.project(credential_kinds=["licence"], domain="law", level=1)
        _, expert = self.create_expert({"law": 2})
        cred = self.credential(expert, kind="licence", domain="law")
        self.assertStatus(self.op.post(f"/api/v1/vetting/credentials/{cred['id']}/reject",
                                       {"reason": "the scan is unreadable"}), 200)
        self.assertEqual(self.locked(expert, project), ["credential_missing"])
        err = self.refused(expert, project, "credential_missing")
        self.assertIn("licence", err["message"])

    def test_an_expired_credential_no_longer_counts(self):
        project = self.project(credential_kinds=["certification"], domain="finance", level=1)
        _, expert = self.create_expert({"finance": 2})
        cred = self.credential(expert, kind="certification", domain="finance")
        soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
        self.verify(cred, expires_at=soon)
        self.assertIn(project["id"], [p["id"] for p in self.work_projects(expert)["projects"]])
        time.sleep(3)
        self.assertEqual(self.locked(expert, project), ["credential_missing"])
        self.refused(expert, project, "credential_missing")

    def test_an_exam_passed_under_the_projects_minimum_score_is_not_enough(self):
        project = self.project(domain="chemistry", level=2, min_exam_score=90)
        exam = self.exam("chemistry", 2, pass_mark=50)
        _, expert = self.sign_up()
        result = self.take(expert, exam, right=1)
        self.assertEqual((result["passed"], result["score"]), (True, 50))
        self.assertEqual(self.locked(expert, project), ["exam_score"])
        err = self.refused(expert, project, "exam_score")
        self.assertIn("90", err["message"])

    def test_a_competitor_affiliation_hides_the_project_and_ends_nothing_else(self):
        project = self.project(domain="biology", level=1, competitors=["  ACME   Corp "])
        self.assertEqual(project["requirements"]["competitors"], ["acme corp"])
        _, expert = self.create_expert({"biology": 3})
        self.assertIsNone(self.locked(expert, project))
        self.profile(expert, affiliations=[{"organisation": "Acme corp", "kind": "employer"}])
        listed = self.work_projects(expert)
        self.assertNotIn(project["id"], [p["id"] for p in listed["projects"] + listed["locked"]])
        err = self.refused(expert, project, "conflict_of_interest")
        self.assertIn("Acme corp", err["message"])
        self.assertError(expert.get(f"/api/v1/work/projects/{project['id']}/terms"), 404)
        # An affiliation that ended is no conflict.
        self.profile(expert, affiliations=[{"organisation": "Acme corp", "kind": "employer",
                                            "since": "2010-01-01", "until": "2015-01-01"}])
        self.assertStatus(self.next_task(expert, project["id"]), 200)

    def test_the_lab_excludes_by_pseudonym_and_the_running_lease_ends(self):
        project = self.project(domain="mathematics", level=1, items=4)
        _, expert = self.create_expert({"mathematics": 2})
        first = self.assertStatus(self.next_task(expert, project["id"]), 200).json["assignment"]
        self.assertStatus(self.submit(expert, first["id"], {"answer": "a"}), 201)
        running = self.assertStatus(self.next_task(expert, project["id"]), 200).json["assignment"]
        answers = self.assertStatus(self.owner.get(
            f"/api/v1/projects/{project['id']}/items/{first['item']['id']}/submissions"),
            200).json["submissions"]
        pseudonym = answers[0]["expert"]
        base = f"/api/v1/projects/{project['id']}/exclusions"

        self.assertError(self.owner.put(f"{base}/ex_aaaaaaaaaa"), 404)
        self.assertError(self.other.put(f"{base}/{pseudonym}"), 404)
        x = self.assertStatus(self.owner.put(f"{base}/{pseudonym}"), 200).json
        self.assertEqual(x["pseudonym"], pseudonym)
        self.assertEqual([e["pseudonym"] for e in
                          self.assertStatus(self.owner.get(base), 200).json["exclusions"]],
                         [pseudonym])
        self.assertError(self.other.get(base), 404)

        self.assertError(expert.post(f"/api/v1/assignments/{running['id']}/heartbeat", {}),
                         409, "conflict", "lease_revoked")
        self.refused(expert, project, "excluded")
        self.assertIsNone(self.locked(expert, project))
        # The submitted answer stays.
        self.assertEqual(len(self.assertStatus(self.owner.get(
            f"/api/v1/projects/{project['id']}/items/{first['item']['id']}/submissions"),
            200).json["submissions"]), 1)

        self.assertError(self.other.delete(f"{base}/{pseudonym}"), 404)
        self.assertStatus(self.owner.delete(f"{base}/{pseudonym}"), 204)
        self.assertError(self.owner.delete(f"{base}/{pseudonym}"), 404)
        self.assertStatus(self.next_task(expert, project["id"]), 200)

    def test_changed_terms_are_asked_again_and_a_stale_acceptance_is_409(self):
        project = self.project(domain="accounting", level=1, terms="Version one.")
        _, expert = self.create_expert({"accounting": 2})
        self.assertError(self.accept_terms(expert, project, 2), 409, "conflict", "terms_changed")
        self.assertStatus(self.accept_terms(expert, project, 1), 200)
        self.assertStatus(self.next_task(expert, project["id"]), 200)

        patched = self.assertStatus(self.owner.patch(
            f"/api/v1/projects/{project['id']}", {"requirements": {"terms": "Version two."}}),
            200).json
        self.assertEqual(patched["requirements"]["terms"]["version"], 2)
        err = self.refused(expert, project, "terms_not_accepted")
        self.assertIn("changed", err["message"])
        self.assertError(self.accept_terms(expert, project, 1), 409, "conflict", "terms_changed")
        self.assertStatus(self.accept_terms(expert, project, 2), 200)
        self.assertStatus(self.next_task(expert, project["id"]), 200)

        removed = self.assertStatus(self.owner.patch(
            f"/api/v1/projects/{project['id']}", {"requirements": {"terms": None}}), 200).json
        self.assertIsNone(removed["requirements"]["terms"])
        self.assertError(expert.get(f"/api/v1/work/projects/{project['id']}/terms"), 404)

    def test_requirement_errors_name_the_field_and_change_nothing(self):
        project = self.project(domain="medicine", level=1, languages=["de"])
        url = f"/api/v1/projects/{project['id']}"
        for body, field in [
            ({"languages": ["de", "not a tag"]}, "requirements.languages[1]"),
            ({"credential_kinds": ["diploma"]}, "requirements.credential_kinds[0]"),
            ({"min_exam_score": 101}, "requirements.min_exam_score"),
            ({"standing": {"min_gold_accuracy": 2}}, "requirements.standing.min_gold_accuracy"),
            ({"standing": {"min_judgments": 0}}, "requirements.standing.min_judgments"),
            ({"colour": "blue"}, "requirements.colour"),
            ({"languages": "de"}, "requirements.languages"),
            ({"terms": 5}, "requirements.terms"),
        ]:
            r = self.owner.patch(url, {"name": "renamed", "requirements": body})
            self.assertStatus(r, 400)
            self.assertIn(field, r.detail_fields, r.describe())
        got = self.assertStatus(self.owner.get(url), 200).json
        self.assertEqual((got["name"], got["requirements"]["languages"]),
                         (project["name"], ["de"]))
        self.assertEqual(got["requirements"]["standing"],
                         {"min_gold_accuracy": None, "min_skill": None, "min_judgments": 10})
        self.assertError(self.other.patch(url, {"requirements": {"min_exam_score": 5}}), 404)


if __name__ == "__main__":
    import unittest
    unittest.main()
